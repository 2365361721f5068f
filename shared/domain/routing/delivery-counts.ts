import type {
  DeliveryStatsQuery,
  DeliveryStatsSnapshot,
  GatewayCountryStats,
} from '../../ports/delivery-stats.ts';

/**
 * The counters delivery statistics are kept in, whoever keeps them (in-process locally, sharded table
 * items deployed): one row per (store, hour of the send, country, gateway, purpose). Every count belongs
 * to its send's hour: a receipt or an approval that comes later counts where its message was accepted,
 * so a window's rate compares approvals with the very messages they came from.
 */
export const HOUR_MS = 3_600_000;

export interface CountRow {
  /** Epoch hour (ms / 1 h) the message was accepted in. */
  hour: number;
  country: string;
  gatewayId: string;
  /** The challenge's purpose: `learnFrom` picks the ones rates learn from. */
  purpose: string;
  accepted: number;
  delivered: number;
  failed: number;
  approved: number;
}

export type Count = 'accepted' | 'delivered' | 'failed' | 'approved';

export const hourOf = (epochMs: number): number => Math.floor(epochMs / HOUR_MS);

/** The first hour a query's window holds: the current hour and the `windowHours - 1` before it. */
export const firstHour = (query: Pick<DeliveryStatsQuery, 'windowHours' | 'now'>): number =>
  hourOf(query.now) - query.windowHours + 1;

/** Sums hourly rows (shards included) into one item per (country, gateway) over the query's window. */
export function summed(rows: Iterable<CountRow>, query: DeliveryStatsQuery): GatewayCountryStats[] {
  const from = firstHour(query);
  const to = hourOf(query.now);
  const learn = new Set(query.learnFrom);
  const items = new Map<string, GatewayCountryStats>();
  for (const row of rows) {
    if (row.hour < from || row.hour > to) continue;
    const key = `${row.country}#${row.gatewayId}`;
    const item = items.get(key) ?? {
      country: row.country,
      gatewayId: row.gatewayId,
      accepted: 0,
      delivered: 0,
      failed: 0,
      learnAccepted: 0,
      learnApproved: 0,
    };
    item.accepted += row.accepted;
    item.delivered += row.delivered;
    item.failed += row.failed;
    if (learn.has(row.purpose)) {
      item.learnAccepted += row.accepted;
      item.learnApproved += row.approved;
    }
    items.set(key, item);
  }
  return [...items.values()].sort(
    (a, b) => a.country.localeCompare(b.country) || a.gatewayId.localeCompare(b.gatewayId),
  );
}

export function snapshotOf(rows: Iterable<CountRow>, query: DeliveryStatsQuery): DeliveryStatsSnapshot {
  return { asOf: query.now, items: summed(rows, query) };
}

/**
 * api.md "Reroutes are bounded": a deadline reroute only where the gateway got a `delivered` receipt for
 * at least half of the messages it accepted (those awaiting one included) over at least `minSamples`.
 */
export function usuallyDelivers(item: GatewayCountryStats | undefined, minSamples: number): boolean {
  return item !== undefined && item.accepted >= minSamples && item.delivered * 2 >= item.accepted;
}
