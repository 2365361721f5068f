import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { DeliveryStats, DeliveryStatsQuery, DeliveryStatsSnapshot } from '../../ports/delivery-stats.ts';
import type { Random } from '../../ports/random.ts';
import {
  HOUR_MS,
  firstHour,
  hourOf,
  snapshotOf,
  type Count,
  type CountRow,
} from '../../domain/routing/delivery-counts.ts';
import { ROUTING_BOUNDS } from '../../domain/identity-stores/routing-settings.ts';
import { ROUTING_STATS_PREFIX } from './key-prefixes.ts';
import { ownedBy } from './store-ownership.ts';

/** At most this many items per store and hour: the stream's writes spread over them, reads sum them. */
export const DELIVERY_STATS_SHARDS = 16;
/** How long a snapshot is served from this instance before it is read again. */
export const SNAPSHOT_MAX_AGE_MS = 60_000;

/** One count to add: a (store, hour, country, gateway, purpose) and which of its counts. */
export interface StatsIncrement {
  storeId: string;
  hour: number;
  country: string;
  gatewayId: string;
  purpose: string;
  count: Count;
}

const COUNTS: readonly Count[] = ['accepted', 'delivered', 'failed', 'approved'];
const SEPARATOR = '|';
const partition = (storeId: string) => `${ROUTING_STATS_PREFIX}${storeId}`;
/** Hours sort as text: 8 digits hold epoch hours until the year 13,000. */
const sortKey = (hour: number, shard: number) =>
  `${String(hour).padStart(8, '0')}#${String(shard).padStart(2, '0')}`;
/** A counter attribute: `c|<country>|<gateway>|<purpose>|<count>` (ids hold no `|`). */
const attribute = (i: Pick<StatsIncrement, 'country' | 'gatewayId' | 'purpose' | 'count'>) =>
  ['c', i.country, i.gatewayId, i.purpose, i.count].join(SEPARATOR);

/**
 * Delivery statistics as sharded hourly counter items (`ROUTESTATS#<store>`, one item per hour and
 * shard, one attribute per country, gateway, purpose and count). Written by the table stream's consumer
 * only, never on the send path; read by every instance as a snapshot at most a minute old, whose first
 * read is started ahead and never awaited by a send (until it arrives the store reads as unmeasured:
 * ordered behaviour), so routing adds no round trip.
 */
export class DeliveryStatsTable implements DeliveryStats {
  private readonly cache = new Map<
    string,
    { at: number; snapshot?: DeliveryStatsSnapshot; reading?: Promise<void> }
  >();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    private readonly random: Random,
    /** Sends never wait for a read; the admin route and tests do. */
    private readonly waitForRead = false,
  ) {}

  /** Adds each increment on one of the hour's shards (chosen at random: no item takes every write). */
  async add(increments: readonly StatsIncrement[]): Promise<void> {
    const grouped = new Map<string, { storeId: string; hour: number; adds: Map<string, number> }>();
    for (const increment of increments) {
      const key = `${increment.storeId}#${increment.hour}`;
      const group = grouped.get(key) ?? { storeId: increment.storeId, hour: increment.hour, adds: new Map() };
      const name = attribute(increment);
      group.adds.set(name, (group.adds.get(name) ?? 0) + 1);
      grouped.set(key, group);
    }
    await Promise.all(
      [...grouped.values()].map(({ storeId, hour, adds }) => {
        const names = [...adds.keys()];
        const pk = partition(storeId);
        return this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk, sk: sortKey(hour, this.random.int(DELIVERY_STATS_SHARDS)) },
            UpdateExpression: `SET storeId = :store, ownerShard = :owner, #ttl = :ttl ADD ${names
              .map((_, i) => `#c${i} :n${i}`)
              .join(', ')}`,
            ExpressionAttributeNames: {
              '#ttl': 'ttl',
              ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
            },
            ExpressionAttributeValues: {
              ':store': storeId,
              ':owner': ownedBy(storeId, pk).ownerShard,
              // Kept a day past the longest window.
              ':ttl': Math.floor(((hour + 1 + ROUTING_BOUNDS.windowHours.max + 24) * HOUR_MS) / 1000),
              ...Object.fromEntries(names.map((name, i) => [`:n${i}`, adds.get(name)!])),
            },
          }),
        );
      }),
    );
  }

  async snapshot(storeId: string, query: DeliveryStatsQuery): Promise<DeliveryStatsSnapshot> {
    const key = `${storeId}#${query.windowHours}#${[...query.learnFrom].sort().join(',')}`;
    const now = this.clock.now().getTime();
    const cached = this.cache.get(key) ?? { at: 0 };
    this.cache.set(key, cached);
    if (now - cached.at >= SNAPSHOT_MAX_AGE_MS && !cached.reading) {
      cached.reading = this.read(storeId, query)
        .then((snapshot) => {
          cached.snapshot = snapshot;
          cached.at = snapshot.asOf;
        })
        .catch(() => undefined)
        .finally(() => {
          cached.reading = undefined;
        });
    }
    if (this.waitForRead && cached.reading) await cached.reading;
    return cached.snapshot ?? { asOf: 0, items: [] };
  }

  /** The window's items of every shard, summed: one Query (paged). */
  async read(storeId: string, query: DeliveryStatsQuery): Promise<DeliveryStatsSnapshot> {
    const rows: CountRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': partition(storeId),
            ':from': sortKey(firstHour(query), 0),
            ':to': sortKey(hourOf(query.now), 99),
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) rows.push(...rowsOf(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return snapshotOf(rows, query);
  }
}

function rowsOf(item: Record<string, unknown>): CountRow[] {
  const hour = Number(String(item.sk).split('#')[0]);
  const rows = new Map<string, CountRow>();
  for (const [name, value] of Object.entries(item)) {
    const [tag, country, gatewayId, purpose, count] = name.split(SEPARATOR);
    if (tag !== 'c' || !country || !gatewayId || !purpose || typeof value !== 'number') continue;
    if (!COUNTS.includes(count as Count)) continue;
    const key = `${country}|${gatewayId}|${purpose}`;
    const row = rows.get(key) ?? {
      hour,
      country,
      gatewayId,
      purpose,
      accepted: 0,
      delivered: 0,
      failed: 0,
      approved: 0,
    };
    row[count as Count] += value;
    rows.set(key, row);
  }
  return [...rows.values()];
}
