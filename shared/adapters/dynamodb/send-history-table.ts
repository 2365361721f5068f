import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChallengeRecord } from '../../domain/challenges/challenge.ts';
import {
  SEND_RECORD_RETENTION_SECONDS,
  type ChallengeEnd,
  type ChallengeSummary,
  type DeliveryStatus,
  type MessageRef,
  type SendRecord,
  type SendUsage,
} from '../../domain/deliveries/send-record.ts';
import type { RerouteClaims } from '../../ports/reroute-claims.ts';
import type { SendHistory, StoredHistory } from '../../ports/send-history.ts';
import { challengeKey, ownedBy, seconds, toChallenge } from './challenge-items.ts';
import { conditionalUpdate } from './conditional-writes.ts';
import { MESSAGE_PREFIX } from './key-prefixes.ts';
import { queryAll } from './query-pages.ts';
import { keyOf } from './parse-item.ts';
import { parseEnd, parseMessageRef, parseSend, parseSummary } from './send-history-items.ts';

const SEND_SK = 'SEND#';
/** How the challenge ended, beside its sends (the challenge item itself is gone sooner). */
const END_SK = 'END';

/** A send sorts by its time, then its attempt: the history reads them oldest first. */
const sendKey = (challengeId: string, at: string, attempt: number) => ({
  pk: challengeKey(challengeId).pk,
  sk: `${SEND_SK}${at}#${String(attempt).padStart(3, '0')}`,
});

const messageKey = (gatewayId: string, providerMessageId: string) => ({
  pk: `${MESSAGE_PREFIX}${gatewayId}#${providerMessageId}`,
  sk: 'MESSAGE',
});

/** A reroute's claim on one message, beside the challenge's sends (swept with the store like them). */
const REROUTE_SK = 'REROUTE#';

/** Sends beside their challenge (same partition, their own sort keys) and receipt pointers by message id. */
export class SendHistoryTable implements SendHistory, RerouteClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number,
  ) {}

  async recordSend(
    storeId: string,
    challengeId: string,
    send: SendRecord,
    summary?: ChallengeSummary,
    usage?: SendUsage,
  ) {
    await this.putter(storeId)({
      ...sendKey(challengeId, send.at, send.attempt),
      entity: 'send',
      ...send,
      ...(summary ? { summary } : {}),
      ...(usage ? { usage } : {}),
    });
  }

  async recordMessage(ref: MessageRef) {
    await this.putter(ref.storeId)({
      ...messageKey(ref.gatewayId, ref.providerMessageId),
      entity: 'message',
      ...ref,
    });
  }

  async recordEnd(storeId: string, challengeId: string, end: ChallengeEnd) {
    await this.putter(storeId)({
      pk: challengeKey(challengeId).pk,
      sk: END_SK,
      entity: 'challenge-end',
      ...end,
    });
  }

  /** Items of the store's challenges, kept as long as the sends. */
  private putter(storeId: string) {
    const ttl = seconds(this.now()) + SEND_RECORD_RETENTION_SECONDS;
    return (item: Record<string, unknown> & { pk: string }) =>
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...item, ...ownedBy(storeId, item.pk), ttl } }),
      );
  }

  async history(challengeId: string): Promise<StoredHistory | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': challengeKey(challengeId).pk },
      ConsistentRead: true,
    });
    const item = items.find((i) => i.sk === challengeKey(challengeId).sk);
    const sendItems = items.filter((i) => typeof i.sk === 'string' && i.sk.startsWith(SEND_SK));
    const storeId = item?.storeId ?? sendItems[0]?.storeId;
    if (typeof storeId !== 'string') return undefined;
    const challenge: ChallengeRecord | undefined = item ? toChallenge(item) : undefined;
    const latest = sendItems.findLast((i) => i.summary);
    const summary = latest ? parseSummary(latest.summary, keyOf(latest)) : undefined;
    const endItem = items.find((i) => i.sk === END_SK);
    const end = endItem ? toEnd(endItem) : undefined;
    return {
      storeId,
      ...(challenge ? { challenge } : {}),
      ...(summary ? { summary } : {}),
      ...(end ? { end } : {}),
      sends: sendItems.map(toSend),
    };
  }

  async findMessage(gatewayId: string, providerMessageId: string): Promise<MessageRef | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(gatewayId, providerMessageId) }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, entity: _entity, ownerShard: _shard, ...ref } = result.Item;
    return parseMessageRef(ref, keyOf(result.Item));
  }

  async claimReroute(
    storeId: string,
    challengeId: string,
    gatewayId: string,
    providerMessageId: string,
  ): Promise<boolean> {
    const ttl = seconds(this.now()) + SEND_RECORD_RETENTION_SECONDS;
    const pk = challengeKey(challengeId).pk;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, sk: `${REROUTE_SK}${gatewayId}#${providerMessageId}`, ...ownedBy(storeId, pk), ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  claim(storeId: string, challengeId: string, gatewayId: string, providerMessageId: string) {
    return this.claimReroute(storeId, challengeId, gatewayId, providerMessageId);
  }

  async markDelivery(
    ref: MessageRef,
    status: DeliveryStatus,
    at: number,
    reportedCost?: number,
  ): Promise<boolean> {
    const delivered = status === 'delivered';
    const cost = reportedCost === undefined ? '' : ', reportedCost = :cost';
    return conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: sendKey(ref.challengeId, ref.sentAt, ref.attempt),
      UpdateExpression: delivered
        ? `SET deliveryStatus = :status, deliveredAt = :at${cost}`
        : `SET deliveryStatus = :status${cost}`,
      // Every status a receipt records is terminal: the first one stays.
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deliveryStatus)',
      ExpressionAttributeValues: {
        ':status': status,
        ...(delivered ? { ':at': new Date(at).toISOString() } : {}),
        ...(reportedCost === undefined ? {} : { ':cost': reportedCost }),
      },
    });
  }
}

function toSend(item: Record<string, unknown>): SendRecord {
  const {
    pk: _pk,
    sk: _sk,
    ttl: _ttl,
    entity: _entity,
    ownerShard: _shard,
    storeId: _store,
    summary: _summary,
    usage: _usage,
    reportedCost: _reportedCost,
    ...send
  } = item;
  return parseSend(send, keyOf(item));
}

function toEnd(item: Record<string, unknown>): ChallengeEnd {
  const { status, at, attempts } = parseEnd(item, keyOf(item));
  return { status, at, ...(typeof attempts === 'number' ? { attempts } : {}) };
}
