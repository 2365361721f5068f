import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../shared/adapters/dynamodb/ensure-table.ts';
import { gateways as gatewayService } from '../shared/runtime/wiring/gateways.ts';
import { localContext } from './local-context.ts';
import { readConfig } from '../shared/runtime/config.ts';

/** Creates the table when missing and, on a store with no gateway at all, a default console gateway. */
export async function prepareLocalData(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  // Without FAULTS: the local-mode switch breaks the service's dependencies, not the server's start.
  const gateways = gatewayService(localContext({}, { ...readConfig(), faults: new Set() }));
  const existing = await gateways.list({ limit: 1 });
  if (existing.items.length === 0) {
    await gateways.create({ name: 'Local console', type: 'console', isDefault: true });
  }
}
