import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoreItems } from '../../ports/store-items.ts';
import { batchDelete } from './batch-delete.ts';
import { INTEGRATION_PREFIX } from './key-prefixes.ts';
import { queryPages } from './query-pages.ts';
import { ownerShards, STORE_INDEX } from './store-ownership.ts';
import { TABLE_KEYS } from './table-definition.ts';

/**
 * Removes every item a deleted identity store owns, found through the keys-only `byStore` index
 * (each of its shards), never by scanning the table. Deleting what is already gone is harmless, so
 * a retried or repeated sweep is safe.
 */
export class StoreSweep implements StoreItems {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The index's sort key is the item's `pk`, so each shard is one Query on the integration prefix. */
  async integrationIds(storeId: string): Promise<string[]> {
    const perShard = await Promise.all(
      ownerShards(storeId).map(async (shard) => {
        const ids: string[] = [];
        for await (const items of this.shardPages(shard, INTEGRATION_PREFIX)) {
          ids.push(...items.map((item) => String(item.pk).slice(INTEGRATION_PREFIX.length)));
        }
        return ids;
      }),
    );
    return [...new Set(perShard.flat())];
  }

  /** The number of items deleted. */
  async sweep(storeId: string): Promise<number> {
    const counts = await Promise.all(ownerShards(storeId).map((shard) => this.sweepShard(shard)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async sweepShard(shard: string): Promise<number> {
    let deleted = 0;
    for await (const items of this.shardPages(shard)) {
      const keys = items.map((item) => ({
        [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey],
        [TABLE_KEYS.sortKey]: item[TABLE_KEYS.sortKey],
      }));
      await batchDelete(this.client, this.tableName, keys);
      deleted += keys.length;
    }
    return deleted;
  }

  private shardPages(shard: string, pkPrefix?: string) {
    return queryPages(this.client, {
      TableName: this.tableName,
      IndexName: STORE_INDEX.name,
      KeyConditionExpression: `#shard = :shard${pkPrefix ? ' AND begins_with(#pk, :prefix)' : ''}`,
      ExpressionAttributeNames: {
        '#shard': STORE_INDEX.partitionKey,
        ...(pkPrefix ? { '#pk': STORE_INDEX.sortKey } : {}),
      },
      ExpressionAttributeValues: { ':shard': shard, ...(pkPrefix ? { ':prefix': pkPrefix } : {}) },
    });
  }
}
