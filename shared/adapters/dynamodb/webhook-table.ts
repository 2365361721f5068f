import {
  GetCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../../domain/events/event-types.ts';
import type { WebhookRecord } from '../../domain/webhooks/webhook.ts';
import type { WebhookRepository } from '../../ports/webhook-repository.ts';
import { conditionalUpdate, createOwnedByStore } from './conditional-writes.ts';
import { WEBHOOK_PREFIX } from './key-prefixes.ts';
import { queryAll } from './query-pages.ts';
import { ownedBy } from './store-ownership.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** All of a store's webhooks in one partition: the dispatcher's one Query per event finds them. */
const keyOf = (storeId: string, id: string) => ({ pk: `${WEBHOOK_PREFIX}${storeId}`, sk: id });

function toRecord(item: Record<string, unknown>): WebhookRecord {
  return {
    id: item.id as string,
    storeId: item.storeId as string,
    url: item.url as string,
    eventTypes: (item.eventTypes as EventType[] | undefined) ?? [],
    secret: item.secret as string,
    ...(item.previousSecret ? { previousSecret: item.previousSecret as string } : {}),
    ...(item.previousUntil !== undefined ? { previousUntil: item.previousUntil as number } : {}),
    createdAt: item.createdAt as string,
    ...(item.disabledAt ? { disabledAt: item.disabledAt as string } : {}),
  };
}

export class WebhookTable implements WebhookRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Conditional on the store, in one transaction: a webhook created while its store is deleted is swept or refused. */
  async create(record: WebhookRecord): Promise<void> {
    const key = keyOf(record.storeId, record.id);
    const item = { ...key, entity: 'webhook', ...record, ...ownedBy(record.storeId, key.pk) };
    await createOwnedByStore(this.client, this.tableName, record.storeId, item);
  }

  async get(storeId: string, webhookId: string): Promise<WebhookRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(storeId, webhookId) }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async listByStore(storeId: string): Promise<WebhookRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${WEBHOOK_PREFIX}${storeId}` },
    });
    return items.map(toRecord);
  }

  /**
   * False when there was no such webhook. A transaction (so that an admin's delete commits with its
   * audit record) cannot return the old item: the existence condition tells instead.
   */
  async delete(storeId: string, webhookId: string): Promise<boolean> {
    return this.transactIfExists({
      Delete: {
        TableName: this.tableName,
        Key: keyOf(storeId, webhookId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    });
  }

  async rotate(storeId: string, webhookId: string, secret: string, previousUntil: number): Promise<boolean> {
    return this.transactIfExists({
      Update: {
        TableName: this.tableName,
        Key: keyOf(storeId, webhookId),
        UpdateExpression: 'SET previousSecret = secret, secret = :secret, previousUntil = :until',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':secret': secret, ':until': previousUntil },
      },
    });
  }

  /** One admin write (with its audit record, transactions.ts); false when its existence condition refused it. */
  private async transactIfExists(write: TransactItem): Promise<boolean> {
    try {
      await transactWrite(this.client, { TransactItems: [write] });
      return true;
    } catch (error) {
      if (error instanceof ConditionsFailed && error.at(0)) return false;
      throw error;
    }
  }

  async disable(storeId: string, webhookId: string, at: string): Promise<void> {
    await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: keyOf(storeId, webhookId),
      UpdateExpression: 'SET disabledAt = if_not_exists(disabledAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
  }
}
