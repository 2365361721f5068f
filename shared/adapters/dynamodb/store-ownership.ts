import { createHash } from 'node:crypto';

/**
 * Every item that belongs to an identity store (factors, challenges, pointers, counters, idempotency
 * records, keys, applications, webhooks...) carries these attributes, so that deleting the store can find
 * all of them through the `byStore` index instead of scanning the table. The index partition is sharded
 * (storeId#0..15) so that a busy store's send path never writes one hot index partition.
 */
export const STORE_INDEX = { name: 'byStore', partitionKey: 'ownerShard', sortKey: 'pk' } as const;
export const OWNER_SHARDS = 16;

export function ownerShardOf(storeId: string, pk: string): string {
  const shard = createHash('sha256').update(pk).digest().readUInt8(0) % OWNER_SHARDS;
  return `${storeId}#${shard}`;
}

/** Spread into an item (Put) or SET on it (Update): `{ storeId, ownerShard }`. */
export function ownedBy(storeId: string, pk: string): { storeId: string; ownerShard: string } {
  return { storeId, ownerShard: ownerShardOf(storeId, pk) };
}

/** Every index partition of one store, for the sweep. */
export function ownerShards(storeId: string): string[] {
  return Array.from({ length: OWNER_SHARDS }, (_, shard) => `${storeId}#${shard}`);
}
