import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/store-sweep/stream.ts';
import { ownedBy, OWNER_SHARDS } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { EncryptedFileStore } from '../../shared/adapters/secrets/encrypted-file-store.ts';
import { SWEEP_AGAIN_AFTER_SECONDS } from '../../shared/domain/identity-stores/deleted-store-sweep.ts';
import { integrationSecretName } from '../../shared/domain/integrations/integration.ts';
import { createContext, useContext } from '../../shared/runtime/context.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/sms-mfa-test-store-sweep-again';
const sqs = mockClient(SQSClient);
let table: TestTable;
let dataDir: string;
beforeAll(async () => {
  table = await createTestTable();
  dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-sweep-'));
  // Deployed configuration: no inline sweep, the stream handler does it and queues the second pass.
  const config = readConfig({
    TABLE_NAME: table.tableName,
    SECRET_STORE: 'file',
    DATA_DIR: dataDir,
    SWEEP_AGAIN_QUEUE_URL: QUEUE_URL,
  });
  useContext(createContext({ ...config, dynamoDbEndpoint: table.endpoint }));
});
beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});
afterAll(async () => {
  useContext(undefined);
  sqs.restore();
  await table.drop();
});

const again = (storeId: string, messageId: string): SQSRecord =>
  ({ messageId, receiptHandle: `rh-${messageId}`, body: JSON.stringify({ storeId }) }) as SQSRecord;

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

  it('queues the second pass, delayed past the sends still running, which removes what they wrote late', async () => {
    await putOwned('ids_late', 3);
    expect(await handler({ Records: [removal('ids_late', '200')] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, MessageBody: JSON.stringify({ storeId: 'ids_late' }), DelaySeconds: 300 },
    ]);
    expect(SWEEP_AGAIN_AFTER_SECONDS).toBe(300);

    // A send still running wrote after the first pass.
    await putOwned('ids_late', 2);
    expect((await table.scanAll()).filter((item) => item.storeId === 'ids_late')).toHaveLength(2);
    expect(await handler({ Records: [again('ids_late', 'msg-1')] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect((await table.scanAll()).filter((item) => item.storeId === 'ids_late')).toEqual([]);
    // The second pass queues no third.
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it("deletes the store's integration secrets, and keeps another store's", async () => {
    const secrets = await EncryptedFileStore.open(dataDir);
    const integration = async (storeId: string, id: string) => {
      const pk = `INTEGRATION#${id}`;
      await table.documents.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk, sk: 'INTEGRATION', entity: 'integration', id, ...ownedBy(storeId, pk) },
        }),
      );
      await secrets.put(integrationSecretName(id), { current: `secret-of-${id}` });
    };
    await integration('ids_hooks', 'int_a');
    await integration('ids_hooks', 'int_b');
    await integration('ids_other', 'int_c');
    expect(await handler({ Records: [removal('ids_hooks', '300')] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect(await secrets.get(integrationSecretName('int_a'))).toBeUndefined();
    expect(await secrets.get(integrationSecretName('int_b'))).toBeUndefined();
    expect(await secrets.get(integrationSecretName('int_c'))).toEqual({ current: 'secret-of-int_c' });
    expect((await table.scanAll()).filter((item) => item.storeId === 'ids_hooks')).toEqual([]);
  });

  it('retries a first pass that could not queue the second; drops a message that names no store', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('queue unavailable'));
    // The first pass cannot queue the second: the stream record is retried (sweeping again is harmless).
    expect(await handler({ Records: [removal('ids_retry', '400')] }, context)).toEqual({
      batchItemFailures: [{ itemIdentifier: '400' }],
    });
    const broken = { ...again('ids_x', 'msg-bad'), body: 'not json' };
    // A message that names no store is dropped, not retried forever.
    expect(await handler({ Records: [broken] }, context)).toEqual({ batchItemFailures: [] });
  });
});
