import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete } from './batch-delete.ts';
import { queryPages } from './query-pages.ts';
import { ownerShards, STORE_INDEX } from './store-ownership.ts';
import { TABLE_KEYS } from './table-definition.ts';

/**
 * Removes every item a deleted identity store owns, found through the keys-only `byStore` index
 * (each of its shards), never by scanning the table. Deleting what is already gone is harmless, so
 * a retried or repeated sweep is safe.
 */
export class StoreSweep {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The number of items deleted. */
  async sweep(storeId: string): Promise<number> {
    const counts = await Promise.all(ownerShards(storeId).map((shard) => this.sweepShard(shard)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async sweepShard(shard: string): Promise<number> {
    let deleted = 0;
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: STORE_INDEX.name,
      KeyConditionExpression: '#shard = :shard',
      ExpressionAttributeNames: { '#shard': STORE_INDEX.partitionKey },
      ExpressionAttributeValues: { ':shard': shard },
    });
    for await (const items of pages) {
      const keys = items.map((item) => ({
        [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey],
        [TABLE_KEYS.sortKey]: item[TABLE_KEYS.sortKey],
      }));
      await batchDelete(this.client, this.tableName, keys);
      deleted += keys.length;
    }
    return deleted;
  }
}
