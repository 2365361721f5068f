import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../shared/adapters/dynamodb/ensure-table.ts';
import { services } from '../shared/runtime/container.ts';

/** Creates the table when missing and, on a store with no gateway at all, a default console gateway. */
export async function prepareLocalData(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  const { gateways } = await services();
  const existing = await gateways.list({ limit: 1 });
  if (existing.items.length === 0) {
    await gateways.create({ name: 'Local console', type: 'console', isDefault: true });
  }
}
