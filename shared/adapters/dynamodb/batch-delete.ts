import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const BATCH_SIZE = 25;
const ATTEMPTS = 8;

/** Deletes items by key, 25 per request, retrying what DynamoDB leaves unprocessed (with backoff). */
export async function batchDelete(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH_SIZE) {
    let requests: Record<string, unknown>[] | undefined = keys
      .slice(i, i + BATCH_SIZE)
      .map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests?.length && attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
    if (requests?.length) throw new Error(`${requests.length} items could not be deleted; retry`);
  }
}
