import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/store-sweep/stream.ts';
import { ownedBy, OWNER_SHARDS } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { buildServices, useServices } from '../../shared/runtime/container.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
  const dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-sweep-'));
  // Deployed configuration: no inline sweep, the stream handler does it.
  const config = readConfig({ TABLE_NAME: table.tableName, SECRET_STORE: 'file', DATA_DIR: dataDir });
  useServices(buildServices({ ...config, dynamoDbEndpoint: table.endpoint }));
});
afterAll(async () => {
  useServices(undefined);
  await table.drop();
});

const context = { functionName: 'store-sweeper', awsRequestId: 'req-1' } as Context;

const removal = (storeId: string, sequence: string): DynamoDBRecord => ({
  eventName: 'REMOVE',
  dynamodb: { Keys: { pk: { S: 'STORE' }, sk: { S: `STORE#${storeId}` } }, SequenceNumber: sequence },
});

async function putOwned(storeId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const pk = `COUNT#${storeId}#phone10m#+4474001234${i}`;
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk, sk: 'COUNT', n: 1, ...ownedBy(storeId, pk) },
      }),
    );
  }
}

describe('the store sweeper function (table stream)', () => {
  it("removes every item of a deleted store from every index shard, and only that store's", async () => {
    // Enough items that every one of the 16 shards holds some.
    await putOwned('ids_gone', OWNER_SHARDS * 4);
    await putOwned('ids_kept', 5);
    const event = {
      Records: [
        { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'STORE' }, sk: { S: 'STORE#ids_kept' } } } },
        { eventName: 'REMOVE', dynamodb: { Keys: { pk: { S: 'CHALLENGE#x' }, sk: { S: 'CHALLENGE' } } } },
        removal('ids_gone', '100'),
      ] as DynamoDBRecord[],
    };
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    const left = await table.scanAll();
    expect(left.filter((item) => item.storeId === 'ids_gone')).toEqual([]);
    expect(left.filter((item) => item.storeId === 'ids_kept')).toHaveLength(5);

    // A retried delivery of the same record is harmless.
    expect(await handler({ Records: [removal('ids_gone', '100')] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect((await table.scanAll()).filter((item) => item.storeId === 'ids_kept')).toHaveLength(5);
  });
});
