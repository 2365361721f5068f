import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord } from '../../domain/api-keys/api-key.ts';
import { NotFound } from '../../domain/errors.ts';
import type { ApiKeyRepository } from '../../ports/api-key-repository.ts';
import { GSI1 } from './table-definition.ts';

/** Keyed by key id (the authorizer's one read); listed per store through GSI1. */
const keyOf = (id: string) => ({ pk: `APIKEY#${id}`, sk: 'APIKEY' });
const storeIndexKey = (storeId: string) => `STORE#${storeId}#APIKEYS`;

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return {
    id: item.id as string,
    storeId: item.storeId as string,
    name: item.name as string,
    hash: item.hash as string,
    createdAt: item.createdAt as string,
    lastUsedAt: (item.lastUsedAt as string | undefined) ?? null,
  };
}

export class ApiKeyTable implements ApiKeyRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(key: ApiKeyRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keyOf(key.id),
          entity: 'api-key',
          [GSI1.partitionKey]: storeIndexKey(key.storeId),
          [GSI1.sortKey]: key.id,
          ...key,
          lastUsedAt: undefined,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(id) }));
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async listByStore(storeId: string): Promise<ApiKeyRecord[]> {
    const items: ApiKeyRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
          ExpressionAttributeValues: { ':pk': storeIndexKey(storeId) },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []).map(toRecord));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async delete(storeId: string, id: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(id),
          ConditionExpression: 'storeId = :store',
          ExpressionAttributeValues: { ':store': storeId },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFound('The API key');
      throw error;
    }
  }

  async deleteAllOfStore(storeId: string): Promise<void> {
    const keys = await this.listByStore(storeId);
    for (let i = 0; i < keys.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = keys
        .slice(i, i + 25)
        .map((key) => ({ DeleteRequest: { Key: keyOf(key.id) } }));
      for (let attempt = 0; requests?.length && attempt < 5; attempt++) {
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = result.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
      if (requests?.length)
        throw new Error(`could not revoke ${requests.length} API keys of store ${storeId}`);
    }
  }

  async touch(id: string, at: string, staleBefore: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(id),
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
          ExpressionAttributeValues: { ':at': at, ':stale': staleBefore },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
