import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, IdempotencyRecords, StoredResponse } from '../../domain/idempotency.ts';
import { seconds } from './challenge-items.ts';
import { ownedBy } from './store-ownership.ts';

const idempotencyKey = (storeId: string, key: string) => ({
  pk: `IDEMPOTENCY#${storeId}#${key}`,
  sk: 'IDEMPOTENCY',
});

const IDEMPOTENCY_SECONDS = 600;

/** Idempotency records: claimed by the first request with a key, completed with its answer. */
export class IdempotencyTable implements IdempotencyRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimIdempotencyKey(
    storeId: string,
    key: string,
    fingerprint: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    const itemKey = idempotencyKey(storeId, key);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKey,
            ...ownedBy(storeId, itemKey.pk),
            fingerprint,
            state: 'pending',
            ttl: seconds(now) + IDEMPOTENCY_SECONDS,
          },
          // An expired record TTL has not removed yet is free to claim again.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': seconds(now) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      const existing = unmarshall(error.Item);
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state !== 'done') return { kind: 'in-progress' };
      return { kind: 'replay', response: existing.response as StoredResponse };
    }
  }

  async completeIdempotencyKey(storeId: string, key: string, response: StoredResponse): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: idempotencyKey(storeId, key),
        UpdateExpression: 'SET #state = :done, #response = :response',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response },
      }),
    );
  }

  async releaseIdempotencyKey(storeId: string, key: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: idempotencyKey(storeId, key) }),
    );
  }
}
