import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { NotFound } from '../../domain/errors.ts';
import type { EventType } from '../../domain/events/event-types.ts';
import type { WebhookRecord } from '../../domain/webhooks/webhook.ts';
import type { WebhookRepository } from '../../ports/webhook-repository.ts';
import { storeKey } from './identity-store-table.ts';
import { WEBHOOK_PREFIX } from './key-prefixes.ts';
import { ownedBy } from './store-ownership.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

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
    try {
      await transactWrite(this.client, {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: storeKey(record.storeId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...key, entity: 'webhook', ...record, ...ownedBy(record.storeId, key.pk) },
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

  async get(storeId: string, webhookId: string): Promise<WebhookRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(storeId, webhookId) }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async listByStore(storeId: string): Promise<WebhookRecord[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `${WEBHOOK_PREFIX}${storeId}` },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.map(toRecord);
  }

  async delete(storeId: string, webhookId: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keyOf(storeId, webhookId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }

  async rotate(storeId: string, webhookId: string, secret: string, previousUntil: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(storeId, webhookId),
          UpdateExpression: 'SET previousSecret = secret, secret = :secret, previousUntil = :until',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':secret': secret, ':until': previousUntil },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async disable(storeId: string, webhookId: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(storeId, webhookId),
          UpdateExpression: 'SET disabledAt = if_not_exists(disabledAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
