import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChallengeRecord } from '../../domain/challenges/challenge.ts';
import {
  SEND_RECORD_RETENTION_SECONDS,
  type DeliveryStatus,
  type MessageRef,
  type SendRecord,
} from '../../domain/deliveries/send-record.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import { challengeKey, ownedBy, seconds, toChallenge } from './challenge-items.ts';
import { conditionalUpdate } from './conditional-writes.ts';
import { MESSAGE_PREFIX } from './key-prefixes.ts';
import { queryAll } from './query-pages.ts';

const SEND_SK = 'SEND#';

/** A send sorts by its time, then its attempt: the history reads them oldest first. */
const sendKey = (challengeId: string, at: string, attempt: number) => ({
  pk: challengeKey(challengeId).pk,
  sk: `${SEND_SK}${at}#${String(attempt).padStart(3, '0')}`,
});

const messageKey = (gatewayId: string, providerMessageId: string) => ({
  pk: `${MESSAGE_PREFIX}${gatewayId}#${providerMessageId}`,
  sk: 'MESSAGE',
});

/** Sends beside their challenge (same partition, their own sort keys) and receipt pointers by message id. */
export class SendHistoryTable implements SendHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number,
  ) {}

  async recordSend(storeId: string, challengeId: string, send: SendRecord): Promise<void> {
    await this.put(storeId, { ...sendKey(challengeId, send.at, send.attempt), entity: 'send', ...send });
  }

  async recordMessage(ref: MessageRef): Promise<void> {
    await this.put(ref.storeId, {
      ...messageKey(ref.gatewayId, ref.providerMessageId),
      entity: 'message',
      ...ref,
    });
  }

  private async put(storeId: string, item: Record<string, unknown> & { pk: string }): Promise<void> {
    const ttl = seconds(this.now()) + SEND_RECORD_RETENTION_SECONDS;
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...item, ...ownedBy(storeId, item.pk), ttl } }),
    );
  }

  async history(challengeId: string) {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': challengeKey(challengeId).pk },
      ConsistentRead: true,
    });
    const item = items.find((i) => i.sk === challengeKey(challengeId).sk);
    if (!item) return undefined;
    const challenge: ChallengeRecord = toChallenge(item);
    const sends = items.filter((i) => typeof i.sk === 'string' && i.sk.startsWith(SEND_SK)).map(toSend);
    return { challenge, sends };
  }

  async findMessage(gatewayId: string, providerMessageId: string): Promise<MessageRef | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(gatewayId, providerMessageId) }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, entity: _entity, ownerShard: _shard, ...ref } = result.Item;
    return ref as unknown as MessageRef;
  }

  async markDelivery(ref: MessageRef, status: DeliveryStatus, at: number): Promise<boolean> {
    const delivered = status === 'delivered';
    return conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: sendKey(ref.challengeId, ref.sentAt, ref.attempt),
      UpdateExpression: delivered
        ? 'SET deliveryStatus = :status, deliveredAt = :at'
        : 'SET deliveryStatus = :status',
      // Every status a receipt records is terminal: the first one stays.
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deliveryStatus)',
      ExpressionAttributeValues: {
        ':status': status,
        ...(delivered ? { ':at': new Date(at).toISOString() } : {}),
      },
    });
  }
}

function toSend(item: Record<string, unknown>): SendRecord {
  const { pk: _pk, sk: _sk, ttl: _ttl, entity: _entity, ownerShard: _shard, storeId: _store, ...send } = item;
  return send as unknown as SendRecord;
}
