import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord } from '../../domain/api-keys/api-key.ts';
import { NotFound, ValidationFailed } from '../../domain/errors.ts';
import type { ApiKeyRepository } from '../../ports/api-key-repository.ts';
import { applicationKey } from './application-table.ts';
import { conditionalUpdate, createOwnedByStore } from './conditional-writes.ts';
import { queryAll } from './query-pages.ts';
import { ownedBy } from './store-ownership.ts';
import { GSI1 } from './table-definition.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

/** Keyed by key id (the authorizer's one read); listed per store through GSI1. */
const keyOf = (id: string) => ({ pk: `APIKEY#${id}`, sk: 'APIKEY' });
const storeIndexKey = (storeId: string) => `STORE#${storeId}#APIKEYS`;

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return {
    id: item.id as string,
    storeId: item.storeId as string,
    name: item.name as string,
    applicationId: (item.applicationId as string | undefined) ?? null,
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

  /**
   * Conditional on the store existing, in the same transaction: a key created while its store is being
   * deleted either lands before the delete (and the sweep removes it) or is refused. An application's
   * key is conditional on its application in the same way.
   */
  async create(key: ApiKeyRecord): Promise<void> {
    const item = keyOf(key.id);
    const application = key.applicationId
      ? [
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: applicationKey(key.storeId, key.applicationId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ]
      : [];
    const record = {
      ...item,
      entity: 'api-key',
      [GSI1.partitionKey]: storeIndexKey(key.storeId),
      [GSI1.sortKey]: key.id,
      ...key,
      ...ownedBy(key.storeId, item.pk),
      applicationId: key.applicationId ?? undefined,
      lastUsedAt: undefined,
    };
    try {
      await createOwnedByStore(this.client, this.tableName, key.storeId, record, application);
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(2)) {
        throw new ValidationFailed([
          { path: 'applicationId', message: 'is not an application of this identity store' },
        ]);
      }
      throw error;
    }
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(id) }));
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async listByStore(storeId: string): Promise<ApiKeyRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: GSI1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
      ExpressionAttributeValues: { ':pk': storeIndexKey(storeId) },
    });
    return items.map(toRecord);
  }

  /** A transaction, so that an admin's delete commits with its audit record (transactions.ts). */
  async delete(storeId: string, id: string): Promise<void> {
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            Delete: {
              TableName: this.tableName,
              Key: keyOf(id),
              ConditionExpression: 'storeId = :store',
              ExpressionAttributeValues: { ':store': storeId },
            },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) throw new NotFound('The API key');
      throw error;
    }
  }

  async touch(id: string, at: string, staleBefore: string): Promise<void> {
    await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: keyOf(id),
      UpdateExpression: 'SET lastUsedAt = :at',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
      ExpressionAttributeValues: { ':at': at, ':stale': staleBefore },
    });
  }
}
