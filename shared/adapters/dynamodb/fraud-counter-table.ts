import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterState } from '../../domain/fraud/blocks.ts';
import type { FraudLimit } from '../../domain/sending/send-windows.ts';
import type { FraudCounterStates } from '../../ports/fraud-blocks.ts';
import { counterKey, counterKeyPrefix, subjectWindowOf } from './challenge-items.ts';
import { ownerShards, STORE_INDEX } from './store-ownership.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

const LISTED: readonly FraudLimit[] = ['prefixPerHour', 'countryPerHour', 'clientIpPer10Minutes'];
const IN_FLIGHT = 25;

/**
 * The fraud guard's counter items, found through the keys-only `byStore` index (one query per index
 * shard and listed limit) and read item by item. An admin route's work: the send path never lists.
 */
export class FraudCounterTable implements FraudCounterStates {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(storeId: string): Promise<CounterState[]> {
    const queries = ownerShards(storeId).flatMap((shard) =>
      LISTED.map((limit) => this.keysOf(shard, counterKeyPrefix(storeId, limit))),
    );
    const keys = (await Promise.all(queries)).flat();
    const items = await this.read(keys);
    return items.flatMap((item) => {
      const window = subjectWindowOf(item.pk as string);
      // TTL deletes ended windows late: the domain drops them by `until`.
      if (!window || typeof item.until !== 'number') return [];
      return [
        {
          window,
          count: (item.n as number | undefined) ?? 0,
          max: (item.lim as number | undefined) ?? 0,
          until: item.until,
          lifted: item.lifted === true,
        },
      ];
    });
  }

  /**
   * One transaction (an admin's lift commits with its audit record, transactions.ts). A counter TTL has
   * just removed stays removed (its window has ended): its refusal drops it and the rest are tried again.
   */
  async lift(storeId: string, items: readonly CounterState[]): Promise<void> {
    let writes = items.map((item) => ({
      Update: {
        TableName: this.tableName,
        Key: counterKey(storeId, '-', { ...item.window, max: item.max, endsAt: item.until }),
        UpdateExpression: 'SET #lifted = :yes',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#lifted': 'lifted' },
        ExpressionAttributeValues: { ':yes': true },
      },
    }));
    while (writes.length > 0) {
      try {
        await transactWrite(this.client, { TransactItems: writes });
        return;
      } catch (error) {
        if (!(error instanceof ConditionsFailed)) throw error;
        const gone = writes.filter((_, index) => error.at(index));
        if (gone.length === 0) throw error;
        writes = writes.filter((write) => !gone.includes(write));
      }
    }
  }

  private async keysOf(shard: string, prefix: string): Promise<Record<string, unknown>[]> {
    const keys: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: STORE_INDEX.name,
          KeyConditionExpression: '#shard = :shard AND begins_with(#pk, :prefix)',
          ExpressionAttributeNames: { '#shard': STORE_INDEX.partitionKey, '#pk': STORE_INDEX.sortKey },
          ExpressionAttributeValues: { ':shard': shard, ':prefix': prefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.push({ pk: item.pk, sk: item.sk });
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  /** GetItem, 25 in flight at a time (no role of the stack has BatchGetItem). */
  private async read(keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += IN_FLIGHT) {
      const got = await Promise.all(
        keys
          .slice(i, i + IN_FLIGHT)
          .map((Key) => this.client.send(new GetCommand({ TableName: this.tableName, Key }))),
      );
      for (const { Item } of got) if (Item) items.push(Item);
    }
    return items;
  }
}
