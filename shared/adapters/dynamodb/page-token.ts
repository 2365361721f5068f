import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationFailed } from '../../domain/errors.ts';

type Key = Record<string, string>;

/** Pagination tokens are the opaque, base64url-encoded LastEvaluatedKey of a Query. */
export function encodePageToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** Refuses tokens that are not a key of the expected partition, so a token cannot steer the query. */
export function decodePageToken(
  token: string | undefined,
  partition: string,
  partitionKey = 'pk',
): Key | undefined {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      key !== null &&
      typeof key === 'object' &&
      Object.values(key).every((v) => typeof v === 'string') &&
      (key as Key)[partitionKey] === partition &&
      typeof (key as Key).sk === 'string'
    ) {
      return key as Key;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed([{ path: 'nextToken', message: 'is not a token returned by this list' }]);
}

/**
 * One page of an entity partition (`pk = partition`, or the partition of a secondary index), in sort-key
 * order, with its continuation token.
 */
export async function queryPartitionPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  page: { limit: number; nextToken?: string },
  index?: { name: string; partitionKey: string },
): Promise<{ items: Record<string, unknown>[]; nextToken?: string }> {
  const partitionKey = index?.partitionKey ?? 'pk';
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      ...(index ? { IndexName: index.name } : {}),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
      Limit: page.limit,
      ExclusiveStartKey: decodePageToken(page.nextToken, partition, partitionKey),
    }),
  );
  const nextToken = encodePageToken(result.LastEvaluatedKey);
  return nextToken ? { items: result.Items ?? [], nextToken } : { items: result.Items ?? [] };
}
