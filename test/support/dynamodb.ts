import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { ensureTable } from '../../shared/adapters/dynamodb/ensure-table.ts';

export interface TestTable {
  endpoint: string;
  tableName: string;
  documents: ReturnType<typeof createDocumentClient>;
  scanAll(): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** A fresh, uniquely named table in the shared DynamoDB Local. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoDbEndpoint');
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  const client = new DynamoDBClient({ endpoint });
  await ensureTable(client, tableName);
  const documents = createDocumentClient({ endpoint });
  return {
    endpoint,
    tableName,
    documents,
    scanAll: async () => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/**
 * Points the service instances this process makes (their configuration is read from the environment) at
 * `table`, with file secrets in a new data directory named after `dataDirPrefix`.
 */
export async function serviceEnvironmentFor(table: TestTable, dataDirPrefix: string): Promise<void> {
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SECRET_STORE: 'file',
    DATA_DIR: await mkdtemp(join(tmpdir(), dataDirPrefix)),
  });
}
