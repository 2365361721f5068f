import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFound, VersionMismatch } from '../../domain/errors.ts';
import type { Integration } from '../../domain/integrations/integration.ts';
import type { Page, PageRequest } from '../../ports/gateway-repository.ts';
import type { IntegrationRepository } from '../../ports/integration-repository.ts';
import { createOwnedByStore } from './conditional-writes.ts';
import { storeItemFields } from './item-fields.ts';
import { INTEGRATION_PREFIX } from './key-prefixes.ts';
import { queryPartitionPage } from './page-token.ts';
import { ownedBy } from './store-ownership.ts';
import { GSI1 } from './table-definition.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

/** Keyed by id (the hook's one read); listed per store, oldest first, through GSI1. */
const keyOf = (id: string) => ({ pk: `${INTEGRATION_PREFIX}${id}`, sk: 'INTEGRATION' });
const storeIndexKey = (storeId: string) => `STORE#${storeId}#INTEGRATIONS`;

function toRecord(item: Record<string, unknown>): Integration {
  return {
    ...storeItemFields(item, 'integration'),
    kind: item.kind as Integration['kind'],
    settings: (item.settings as Integration['settings'] | undefined) ?? {},
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
    await createOwnedByStore(this.client, this.tableName, integration.storeId, this.item(integration));
  }

  async get(id: string): Promise<Integration | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(id) }));
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async listByStore(storeId: string, page: PageRequest): Promise<Page<Integration>> {
    const result = await queryPartitionPage(this.client, this.tableName, storeIndexKey(storeId), page, {
      name: GSI1.name,
      partitionKey: GSI1.partitionKey,
    });
    return { ...result, items: result.items.map(toRecord) };
  }

  async update(next: Integration, expectedVersion: number): Promise<void> {
    try {
      // A transaction, so that an admin's change commits with its audit record (transactions.ts).
      await transactWrite(this.client, {
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: this.item(next),
              ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) throw new VersionMismatch('The integration');
      throw error;
    }
  }

  async secretRotated(storeId: string, id: string, at: string): Promise<void> {
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keyOf(id),
              UpdateExpression: 'SET secretRotatedAt = :at',
              ConditionExpression: 'storeId = :store',
              ExpressionAttributeValues: { ':store': storeId, ':at': at },
            },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) throw new NotFound('The integration');
      throw error;
    }
  }

  async delete(storeId: string, id: string, expectedVersion?: number): Promise<void> {
    const versioned = expectedVersion !== undefined;
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            Delete: {
              TableName: this.tableName,
              Key: keyOf(id),
              ConditionExpression: `storeId = :store${versioned ? ' AND #version = :expected' : ''}`,
              ...(versioned ? { ExpressionAttributeNames: { '#version': 'version' } } : {}),
              ExpressionAttributeValues: {
                ':store': storeId,
                ...(versioned ? { ':expected': expectedVersion } : {}),
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      });
    } catch (error) {
      const refused = error instanceof ConditionsFailed ? error.at(0) : undefined;
      if (refused) {
        if (versioned && refused.item?.storeId === storeId) throw new VersionMismatch('The integration');
        throw new NotFound('The integration');
      }
      throw error;
    }
  }
}
