import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  USAGE_FIELDS,
  USAGE_SHARDS,
  type UsageCounts,
  type UsageGroup,
  type UsageRow,
} from '../../domain/usage/usage-counts.ts';
import type { UsageCounters } from '../../ports/usage-counters.ts';
import { ownerSets, seconds } from './challenge-items.ts';
import { USAGE_PREFIX } from './key-prefixes.ts';
import { queryAll } from './query-pages.ts';

/** Counters are kept 400 days past their day; a challenge's claim 8 days (its approval comes within its TTL). */
const COUNTER_RETENTION_MS = 400 * 86_400_000;
const CLAIM_RETENTION_MS = 8 * 86_400_000;

/** `USAGE#<store>#<shard>`: each shard its own partition, so a busy store's counts spread over 16. */
const counterPk = (storeId: string, shard: number) => `${USAGE_PREFIX}${storeId}#${shard}`;
const claimPk = (storeId: string, challengeId: string) => `${USAGE_PREFIX}${storeId}#CH#${challengeId}`;
const CLAIM_SK = 'CLAIM';
/** `<day>#<country>#<gateway>`: a range of days is one key range. */
const groupSk = (group: UsageGroup) => `${group.day}#${group.country}#${group.gatewayId}`;

/** The usage ledger's counters in the table (usage-counts.ts): ADD on one shard, summed on read. */
export class UsageCounterTable implements UsageCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(storeId: string, group: UsageGroup, delta: Partial<UsageCounts>, shard: number): Promise<void> {
    const pk = counterPk(storeId, shard);
    const owner = ownerSets(storeId, pk);
    const fields = USAGE_FIELDS.filter((field) => (delta[field] ?? 0) !== 0);
    if (fields.length === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk, sk: groupSk(group) },
        UpdateExpression: `ADD ${fields.map((f) => `#${f} :${f}`).join(', ')} SET #day = :day, country = :country, gatewayId = :gatewayId, #ttl = :ttl, ${owner.expression}`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(fields.map((f) => [`#${f}`, f])),
          '#day': 'day',
          '#ttl': 'ttl',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(fields.map((f) => [`:${f}`, delta[f]])),
          ':day': group.day,
          ':country': group.country,
          ':gatewayId': group.gatewayId,
          ':ttl': seconds(Date.parse(`${group.day}T00:00:00Z`) + COUNTER_RETENTION_MS),
          ...owner.values,
        },
      }),
    );
  }

  async claimChallenge(
    storeId: string,
    challengeId: string,
    group: UsageGroup,
    now: number,
  ): Promise<boolean> {
    const pk = claimPk(storeId, challengeId);
    const owner = ownerSets(storeId, pk);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk: CLAIM_SK },
          UpdateExpression: `SET #day = :day, country = :country, gatewayId = :gatewayId, #ttl = :ttl, ${owner.expression}`,
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeNames: { '#day': 'day', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':day': group.day,
            ':country': group.country,
            ':gatewayId': group.gatewayId,
            ':ttl': seconds(now + CLAIM_RETENTION_MS),
            ...owner.values,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async challengeGroup(storeId: string, challengeId: string): Promise<UsageGroup | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: claimPk(storeId, challengeId), sk: CLAIM_SK } }),
    );
    return Item ? groupOf(Item) : undefined;
  }

  /** One Query per shard, all at once: a single round trip of at most USAGE_SHARDS requests (and their pages). */
  async read(storeId: string, from: string, to: string): Promise<UsageRow[]> {
    const shards = await Promise.all(
      Array.from({ length: USAGE_SHARDS }, (_, shard) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': counterPk(storeId, shard),
            ':from': from,
            // Every key of the day `to` sorts before `<to>#\uffff`.
            ':to': `${to}#\uffff`,
          },
        }),
      ),
    );
    return shards.flat().map((item) => ({
      group: groupOf(item),
      counts: Object.fromEntries(
        USAGE_FIELDS.filter((f) => typeof item[f] === 'number').map((f) => [f, item[f] as number]),
      ),
    }));
  }
}

function groupOf(item: Record<string, unknown>): UsageGroup {
  return { day: String(item.day), country: String(item.country), gatewayId: String(item.gatewayId) };
}
