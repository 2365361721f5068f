import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../domain/events/event.ts';
import type { AttemptOutcome, DeliveryRecord } from '../../domain/webhooks/delivery-record.ts';
import type { ClaimResult, DeliveryLog } from '../../ports/delivery-log.ts';
import { auditableUpdate, conditionalUpdate } from './conditional-writes.ts';
import { ignoreConditionFailure } from './transactions.ts';
import { WEBHOOK_DELIVERY_PREFIX } from './key-prefixes.ts';
import { ownedBy } from './store-ownership.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';

const partitionOf = (storeId: string, webhookId: string) =>
  `${WEBHOOK_DELIVERY_PREFIX}${storeId}#${webhookId}`;
const keyOf = (storeId: string, webhookId: string, id: string) => ({
  pk: partitionOf(storeId, webhookId),
  sk: id,
});

const OPTIONAL = ['lastAttemptAt', 'lastStatusCode', 'nextAttemptAt', 'inFlightSince'] as const;

function toRecord(item: Record<string, unknown>): DeliveryRecord {
  const record: DeliveryRecord = {
    id: item.id as string,
    storeId: item.storeId as string,
    webhookId: item.webhookId as string,
    eventType: item.eventType as DeliveryRecord['eventType'],
    event: JSON.parse(item.event as string) as DomainEvent,
    status: item.status as DeliveryRecord['status'],
    attempts: item.attempts as number,
  };
  for (const name of OPTIONAL) if (item[name] !== undefined) Object.assign(record, { [name]: item[name] });
  return record;
}

/**
 * Webhook deliveries (api.md "Support desk"): one partition per webhook, its items sorted by event id,
 * which begins with the event's time, so a descending Query lists the newest first.
 */
export class WebhookDeliveryTable implements DeliveryLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(storeId: string, webhookId: string, event: DomainEvent, expiresAt: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyOf(storeId, webhookId, event.id),
            // Found by the deleted store's sweep (api.md "Deleted store"), not only by its TTL.
            ...ownedBy(storeId, keyOf(storeId, webhookId, event.id).pk),
            entity: 'webhook-delivery',
            id: event.id,
            webhookId,
            eventType: event.type,
            // A string: the event's data keeps its exact shape (no empty-set or number conversions).
            event: JSON.stringify(event),
            status: 'pending',
            attempts: 0,
            ttl: Math.ceil(expiresAt / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      ignoreConditionFailure(error);
    }
  }

  async get(storeId: string, webhookId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(storeId, webhookId, deliveryId) }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async list(
    storeId: string,
    webhookId: string,
    page: { limit: number; nextToken?: string },
  ): Promise<{ items: DeliveryRecord[]; nextToken?: string }> {
    const partition = partitionOf(storeId, webhookId);
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodePageToken(page.nextToken, partition),
      }),
    );
    const items = (result.Items ?? []).map(toRecord);
    const nextToken = encodePageToken(result.LastEvaluatedKey);
    return nextToken ? { items, nextToken } : { items };
  }

  async claim(
    storeId: string,
    webhookId: string,
    deliveryId: string,
    now: number,
    staleBefore: number,
  ): Promise<ClaimResult> {
    // An admin's retry claims with its audit record; the delivery worker's claims stay one UpdateItem.
    const claimed = await auditableUpdate(this.client, {
      TableName: this.tableName,
      Key: keyOf(storeId, webhookId, deliveryId),
      UpdateExpression: 'SET inFlightSince = :now',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(inFlightSince) OR inFlightSince < :stale)',
      ExpressionAttributeValues: { ':now': now, ':stale': staleBefore },
    });
    if (claimed) return 'claimed';
    return (await this.get(storeId, webhookId, deliveryId)) ? 'busy' : 'missing';
  }

  async finish(
    storeId: string,
    webhookId: string,
    deliveryId: string,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const values: Record<string, unknown> = { ':status': outcome.status, ':at': outcome.at, ':one': 1 };
    const set = ['#status = :status', 'lastAttemptAt = :at', 'attempts = attempts + :one'];
    const remove = ['inFlightSince'];
    if (outcome.statusCode !== undefined) {
      set.push('lastStatusCode = :code');
      values[':code'] = outcome.statusCode;
    } else remove.push('lastStatusCode');
    if (outcome.nextAttemptAt !== undefined) {
      set.push('nextAttemptAt = :next');
      values[':next'] = outcome.nextAttemptAt;
    } else remove.push('nextAttemptAt');
    // Only an opened delivery: a record whose opening failed is not made up of its attempts alone.
    await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: keyOf(storeId, webhookId, deliveryId),
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    });
  }
}
