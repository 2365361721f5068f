import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyStore,
  StoredResponse,
} from '../../ports/idempotency-store.ts';
import { conditionalUpdate } from './conditional-writes.ts';
import { ownedBy } from './store-ownership.ts';

const keyOf = (storeId: string, key: string) => ({ pk: `IDEMPOTENCY#${storeId}#${key}`, sk: 'IDEMPOTENCY' });
const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * One item per store and key: `state` pending (with a lease) or done (with the answer's status,
 * headers and exact body text). The `ttl` attribute lets DynamoDB remove it after the window; expiry is
 * also judged in the claim's condition, since TTL deletes late.
 */
export class IdempotencyTable implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    const { storeId, key, fingerprint, now } = request;
    const itemKey = keyOf(storeId, key);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKey,
            ...ownedBy(storeId, itemKey.pk),
            fingerprint,
            state: 'pending',
            leaseUntil: request.leaseUntil,
            ttl: seconds(request.expiresAt),
          },
          // Free to claim: no record, an expired one TTL has not removed yet, or a lapsed lease.
          ConditionExpression:
            'attribute_not_exists(pk) OR #ttl < :nowSeconds OR (#state = :pending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#ttl': 'ttl', '#state': 'state' },
          ExpressionAttributeValues: { ':nowSeconds': seconds(now), ':now': now, ':pending': 'pending' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      const existing = unmarshall(error.Item);
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state !== 'done') return { kind: 'in-progress' };
      return {
        kind: 'replay',
        response: {
          status: Number(existing.status),
          headers: existing.headers as Record<string, string>,
          body: String(existing.body),
        },
      };
    }
  }

  /**
   * Only a record that is still there: a store deleted while the request ran has had it swept, and an
   * update of a missing item would create one without TTL or owner that no sweep finds.
   */
  async complete(storeId: string, key: string, response: StoredResponse): Promise<void> {
    await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: keyOf(storeId, key),
      UpdateExpression: 'SET #state = :done, #status = :status, #headers = :headers, #body = :body',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#status': 'status',
        '#headers': 'headers',
        '#body': 'body',
      },
      ExpressionAttributeValues: {
        ':done': 'done',
        ':status': response.status,
        ':headers': response.headers,
        ':body': response.body,
      },
    });
  }

  async release(storeId: string, key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(storeId, key) }));
  }
}
