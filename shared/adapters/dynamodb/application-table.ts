import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../../domain/applications/application.ts';
import { NotFound, VersionMismatch } from '../../domain/errors.ts';
import type { ApplicationRepository } from '../../ports/application-repository.ts';
import type { Page, PageRequest } from '../../ports/gateway-repository.ts';
import { createOwnedByStore, expectVersion } from './conditional-writes.ts';
import { storeItemFields } from './item-fields.ts';
import { APPLICATION_PREFIX } from './key-prefixes.ts';
import { queryPartitionPage } from './page-token.ts';
import { ownedBy } from './store-ownership.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

/** One partition per store (`APP#<store>`), so a store's applications page like any entity list. */
const partitionOf = (storeId: string) => `${APPLICATION_PREFIX}${storeId}`;
export const applicationKey = (storeId: string, id: string) => ({
  pk: partitionOf(storeId),
  sk: `${APPLICATION_PREFIX}${id}`,
});

function toApplication(item: Record<string, unknown>): Application {
  return {
    ...storeItemFields(item, 'application'),
    mfaPolicy: (item.mfaPolicy as Application['mfaPolicy'] | undefined) ?? null,
    ...(item.messageOptions ? { messageOptions: item.messageOptions as Application['messageOptions'] } : {}),
  };
}

export class ApplicationTable implements ApplicationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(application: Application) {
    const key = applicationKey(application.storeId, application.id);
    // Owned by the store: the store's deletion sweep finds it through the byStore index.
    return { ...key, entity: 'application', ...application, ...ownedBy(application.storeId, key.pk) };
  }

  /** Conditional on the store, in the same transaction: an application never outlives a deleted store. */
  async create(application: Application): Promise<void> {
    await createOwnedByStore(this.client, this.tableName, application.storeId, this.item(application));
  }

  async get(storeId: string, id: string): Promise<Application | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: applicationKey(storeId, id), ConsistentRead: true }),
    );
    return result.Item ? toApplication(result.Item) : undefined;
  }

  async list(storeId: string, page: PageRequest): Promise<Page<Application>> {
    const result = await queryPartitionPage(this.client, this.tableName, partitionOf(storeId), page);
    return { ...result, items: result.items.map(toApplication) };
  }

  async update(next: Application, previous: Application): Promise<void> {
    await this.conditional({
      Put: {
        TableName: this.tableName,
        Item: this.item(next),
        ...expectVersion(previous.version),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  }

  async delete(application: Application): Promise<void> {
    await this.conditional({
      Delete: {
        TableName: this.tableName,
        Key: applicationKey(application.storeId, application.id),
        ...expectVersion(application.version),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  }

  /** A failed version condition is a mismatch while the item exists, else it is gone. */
  private async conditional(write: Record<string, unknown>): Promise<void> {
    try {
      await transactWrite(this.client, { TransactItems: [write] });
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) {
        throw error.at(0)?.item ? new VersionMismatch('The application') : new NotFound('The application');
      }
      throw error;
    }
  }
}
