/**
 * The single table's key schema, shared by the CDK stack, local mode and tests so that all three
 * build exactly the same table.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
/** Epoch seconds; DynamoDB's TTL deletes expired items (late, which is why expiry is also checked on read). */
export const TTL_ATTRIBUTE = 'ttl';
export const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;

import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { STORE_INDEX } from './store-ownership.ts';

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      { AttributeName: GSI1.partitionKey, AttributeType: 'S' },
      { AttributeName: GSI1.sortKey, AttributeType: 'S' },
      { AttributeName: STORE_INDEX.partitionKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1.name,
        KeySchema: [
          { AttributeName: GSI1.partitionKey, KeyType: 'HASH' },
          { AttributeName: GSI1.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: STORE_INDEX.name,
        KeySchema: [
          { AttributeName: STORE_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: STORE_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}
