import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { NotFound, ValidationFailed, VersionMismatch } from '../../domain/errors.ts';
import { ID_PATTERN } from '../../domain/ids.ts';
import type { Integration } from '../../domain/integrations/integration.ts';
import type { Page, PageRequest } from '../../ports/gateway-repository.ts';
import type { IntegrationRepository } from '../../ports/integration-repository.ts';
import { storeKey } from './identity-store-table.ts';
import { INTEGRATION_PREFIX } from './key-prefixes.ts';
import { ownedBy } from './store-ownership.ts';
import { GSI1 } from './table-definition.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

/** Keyed by id (the hook's one read); listed per store, oldest first, through GSI1. */
const keyOf = (id: string) => ({ pk: `${INTEGRATION_PREFIX}${id}`, sk: 'INTEGRATION' });
const storeIndexKey = (storeId: string) => `STORE#${storeId}#INTEGRATIONS`;

function toRecord(item: Record<string, unknown>): Integration {
  return {
    id: item.id as string,
    storeId: item.storeId as string,
    kind: item.kind as Integration['kind'],
    name: item.name as string,
    settings: (item.settings as Integration['settings'] | undefined) ?? {},
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}

export class IntegrationTable implements IntegrationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(integration: Integration) {
    const key = keyOf(integration.id);
    return {
      ...key,
      entity: 'integration',
      [GSI1.partitionKey]: storeIndexKey(integration.storeId),
      [GSI1.sortKey]: integration.id,
      ...integration,
      ...ownedBy(integration.storeId, key.pk),
    };
  }

  /** Conditional on the store existing, in the same transaction (as API keys: the sweep finds the rest). */
  async create(integration: Integration): Promise<void> {
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: storeKey(integration.storeId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: this.item(integration),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) throw new NotFound('The identity store');
      throw error;
    }
  }

  async get(id: string): Promise<Integration | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(id) }));
    return result.Item ? toRecord(result.Item) : undefined;
  }

  /** The token is the last id of the page: the start key is rebuilt from it, so a token cannot steer the query. */
  async listByStore(storeId: string, page: PageRequest): Promise<Page<Integration>> {
    const after = page.nextToken === undefined ? undefined : decodeToken(page.nextToken);
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
        ExpressionAttributeValues: { ':pk': storeIndexKey(storeId) },
        Limit: page.limit,
        ...(after
          ? {
              ExclusiveStartKey: {
                ...keyOf(after),
                [GSI1.partitionKey]: storeIndexKey(storeId),
                [GSI1.sortKey]: after,
              },
            }
          : {}),
      }),
    );
    const items = (result.Items ?? []).map(toRecord);
    const last = result.LastEvaluatedKey?.[GSI1.sortKey] as string | undefined;
    return { items, ...(last ? { nextToken: Buffer.from(last).toString('base64url') } : {}) };
  }

  async update(next: Integration, expectedVersion: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(next),
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new VersionMismatch('The integration');
      throw error;
    }
  }

  async delete(storeId: string, id: string, expectedVersion?: number): Promise<void> {
    const versioned = expectedVersion !== undefined;
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(id),
          ConditionExpression: `storeId = :store${versioned ? ' AND #version = :expected' : ''}`,
          ...(versioned ? { ExpressionAttributeNames: { '#version': 'version' } } : {}),
          ExpressionAttributeValues: {
            ':store': storeId,
            ...(versioned ? { ':expected': expectedVersion } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        if (versioned && error.Item?.storeId?.S === storeId) throw new VersionMismatch('The integration');
        throw new NotFound('The integration');
      }
      throw error;
    }
  }
}

function decodeToken(token: string): string {
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (!ID_PATTERN.test(id)) {
    throw new ValidationFailed([{ path: 'nextToken', message: 'is not a token returned by this list' }]);
  }
  return id;
}
