import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFound, VersionMismatch } from '../../domain/errors.ts';
import {
  linkedGatewayIds,
  withFraudDefaults,
  type IdentityStore,
} from '../../domain/identity-stores/identity-store.ts';
import type { Page, PageRequest } from '../../ports/gateway-repository.ts';
import { UnknownGateways, type IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import { expectVersion } from './conditional-writes.ts';
import { parseIdentityStore } from './identity-store-item.ts';
import { keyOf } from './parse-item.ts';
import { gatewayKey, LINKED_STORES_ATTRIBUTE } from './gateway-table.ts';
import { queryPartitionPage } from './page-token.ts';
import { storeKey } from './store-key.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

export const STORE_PARTITION = 'STORE';
const PARTITION = STORE_PARTITION;

function toStore(item: Record<string, unknown>): IdentityStore {
  const { pk: _pk, sk: _sk, entity: _entity, ...store } = item;
  return withFraudDefaults(parseIdentityStore(store, keyOf(item)));
}

export class IdentityStoreTable implements IdentityStoreRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(store: IdentityStore): Promise<void> {
    const links = linkedGatewayIds(store);
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...storeKey(store.id), entity: 'identity-store', ...store },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...links.map((gatewayId) => this.link(gatewayId, store.id)),
        ],
      });
    } catch (error) {
      throw this.unknownGateways(error, links, 1);
    }
  }

  async get(id: string): Promise<IdentityStore | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: storeKey(id), ConsistentRead: true }),
    );
    return result.Item ? toStore(result.Item) : undefined;
  }

  async list(page: PageRequest): Promise<Page<IdentityStore>> {
    const result = await queryPartitionPage(this.client, this.tableName, PARTITION, page);
    return { ...result, items: result.items.map(toStore) };
  }

  async update(next: IdentityStore, previous: IdentityStore): Promise<void> {
    const before = new Set(linkedGatewayIds(previous));
    const after = linkedGatewayIds(next);
    const added = after.filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !after.includes(id));
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...storeKey(next.id), entity: 'identity-store', ...next },
              ...expectVersion(previous.version),
            },
          },
          ...added.map((gatewayId) => this.link(gatewayId, next.id)),
          ...removed.map((gatewayId) => this.unlink(gatewayId, next.id)),
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) throw new VersionMismatch('The identity store');
      throw this.unknownGateways(error, added, 1);
    }
  }

  async delete(store: IdentityStore): Promise<void> {
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            Delete: {
              TableName: this.tableName,
              Key: storeKey(store.id),
              ...expectVersion(store.version),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          ...linkedGatewayIds(store).map((gatewayId) => this.unlink(gatewayId, store.id)),
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) {
        throw error.at(0)?.item
          ? new VersionMismatch('The identity store')
          : new NotFound('The identity store');
      }
      throw error;
    }
  }

  /** Only an existing gateway can be linked; the gateway's delete condition sees the link atomically. */
  private link(gatewayId: string, storeId: string) {
    return this.linkUpdate('ADD', gatewayId, storeId);
  }

  private unlink(gatewayId: string, storeId: string) {
    return this.linkUpdate('DELETE', gatewayId, storeId);
  }

  private linkUpdate(operation: 'ADD' | 'DELETE', gatewayId: string, storeId: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: gatewayKey(gatewayId),
        UpdateExpression: `${operation} #linked :store`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#linked': LINKED_STORES_ATTRIBUTE },
        ExpressionAttributeValues: { ':store': new Set([storeId]) },
      },
    };
  }

  /** Maps failed link conditions (at `offset + i`) back to the gateway ids that do not exist. */
  private unknownGateways(error: unknown, linked: string[], offset: number): unknown {
    if (!(error instanceof ConditionsFailed)) return error;
    const missing = linked.filter((_, i) => error.at(offset + i));
    return missing.length > 0 ? new UnknownGateways(missing) : error;
  }
}
