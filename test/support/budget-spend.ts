import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { counterKeyPrefix } from '../../shared/adapters/dynamodb/challenge-items.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import type { CounterWindow } from '../../shared/domain/sending/send-windows.ts';
import type { TestServer } from './local-server.ts';

/**
 * What a store's spend budget holds, over every shard and day, in millionths: the sum of its counter
 * items as the table keeps them (the budget's own count, not the usage ledger's).
 */
export async function budgetSpend(
  server: TestServer,
  storeId: string,
  limit: Extract<CounterWindow['limit'], 'storeSpendPerDay' | 'countrySpendPerDay'> = 'storeSpendPerDay',
): Promise<number> {
  const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
  const prefix = counterKeyPrefix(storeId, limit);
  let total = 0;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: server.tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': prefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) total += Number(item.n ?? 0);
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    documents.destroy();
  }
  return total;
}
