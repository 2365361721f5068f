import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  CHALLENGE_RETENTION_SECONDS,
  MAX_SENDS_PER_CHALLENGE,
  type ChallengeRecord,
} from '../../domain/challenges/challenge.ts';
import type { AttemptResult, ChallengeStore } from '../../ports/challenge-store.ts';
import type { ApprovalUse, Resend } from '../../ports/issue-ledger.ts';
import { challengeKey, ownedBy, seconds, toChallenge, userChallengeIndex } from './challenge-items.ts';
import { conditionalUpdate } from './conditional-writes.ts';
import { ignoreConditionFailure, type NamedPart } from './transactions.ts';

/**
 * The storage side of `isLive`: attempts left, not expired (closing moves `expiresAt` into the past), not
 * locked. The domain's predicate adds "not approved", which the verdict reads from the write's result.
 */
const LIVE =
  'attempts < maxAttempts AND expiresAt > :now AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)';

export class ChallengeStoreTable implements ChallengeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<ChallengeRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: challengeKey(id), ConsistentRead: true }),
    );
    return result.Item ? toChallenge(result.Item) : undefined;
  }

  async attempt(id: string, storeId: string, hashes: readonly string[], now: number): Promise<AttemptResult> {
    const names = Object.fromEntries(hashes.map((hash, i) => [`#h${i}`, hash]));
    const sets = hashes.flatMap((_, i) => [
      `tried.#h${i} = if_not_exists(tried.#h${i}, attempts)`,
      `triedAt.#h${i} = if_not_exists(triedAt.#h${i}, :now)`,
    ]);
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: challengeKey(id),
          // `attempts` before this write is the attempt's place in the storage's order.
          UpdateExpression: `SET ${sets.join(', ')} ADD attempts :one`,
          ConditionExpression: `attribute_exists(pk) AND storeId = :store AND ${LIVE}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':one': 1, ':store': storeId, ':now': now },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'counted', after: toChallenge(result.Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { kind: 'refused', before: error.Item ? toChallenge(unmarshall(error.Item)) : undefined };
    }
  }

  async close(ids: readonly string[], now: number): Promise<ChallengeRecord[]> {
    return this.eachBefore(ids, {
      UpdateExpression: 'SET closedAt = :now, expiresAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
      ExpressionAttributeValues: { ':now': now },
    });
  }

  cancel(id: string, expectedAttempts: number, now: number): Promise<boolean> {
    return conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: challengeKey(id),
      UpdateExpression: 'SET closedAt = :now, canceledAt = :now, expiresAt = :now',
      ConditionExpression: `attribute_exists(pk) AND attempts = :attempts AND attribute_not_exists(closedAt) AND ${LIVE}`,
      ExpressionAttributeValues: { ':now': now, ':attempts': expectedAttempts },
    });
  }

  async withdrawCode(id: string, hash: string, options: { kill: boolean; now: number }): Promise<void> {
    await this.bestEffort(id, {
      UpdateExpression: options.kill
        ? 'SET attempts = maxAttempts, closedAt = :now REMOVE codes.#hash'
        : 'REMOVE codes.#hash',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#hash': hash },
      ...(options.kill ? { ExpressionAttributeValues: { ':now': options.now } } : {}),
    });
  }

  async lockUntil(ids: readonly string[], until: number, now: number): Promise<ChallengeRecord[]> {
    return this.eachBefore(ids, {
      UpdateExpression: 'SET lockedUntil = :until',
      ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
      ExpressionAttributeValues: { ':until': until, ':now': now },
    });
  }

  markExpiryReported(id: string, now: number): Promise<boolean> {
    return conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: challengeKey(id),
      UpdateExpression: 'SET expiryReportedAt = :now',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(expiryReportedAt) AND expiresAt <= :now AND ' +
        'attribute_not_exists(closedAt) AND attempts < maxAttempts',
      ExpressionAttributeValues: { ':now': now },
    });
  }

  /** The same conditional update of each challenge, in parallel: the items it changed, as they were. */
  private async eachBefore(
    ids: readonly string[],
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<ChallengeRecord[]> {
    const before = await Promise.all(
      ids.map(async (id) => {
        const result = await this.client
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: challengeKey(id),
              ...update,
              ReturnValues: 'ALL_OLD',
            }),
          )
          .catch(ignoreConditionFailure);
        return result?.Attributes ? toChallenge(result.Attributes) : undefined;
      }),
    );
    return before.filter((challenge) => challenge !== undefined);
  }

  async markUncounted(id: string, now: number): Promise<boolean> {
    return conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: challengeKey(id),
      UpdateExpression: 'SET uncountedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(uncountedAt)',
      ExpressionAttributeValues: { ':now': now },
    });
  }

  /** An update of one challenge that is simply skipped when its condition no longer holds. */
  private async bestEffort(id: string, update: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<void> {
    await conditionalUpdate(this.client, { TableName: this.tableName, Key: challengeKey(id), ...update });
  }

  /** The new challenge, for the issuing transaction. */
  putPart(challenge: ChallengeRecord): NamedPart<'challenge'> {
    const key = challengeKey(challenge.id);
    return {
      name: 'challenge',
      write: {
        Put: {
          TableName: this.tableName,
          Item: {
            ...key,
            entity: 'challenge',
            ...challenge,
            ...ownedBy(challenge.storeId, key.pk),
            // A user's challenges are listed by the support desk through gsi1.
            ...userChallengeIndex(challenge),
            ttl: seconds(challenge.expiresAt) + CHALLENGE_RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    };
  }

  /** A further code on a live challenge whose attempt count is still what the pointer recorded. */
  resendPart(input: Resend): NamedPart<'challenge'> {
    return {
      name: 'challenge',
      write: {
        Update: {
          TableName: this.tableName,
          Key: challengeKey(input.challengeId),
          UpdateExpression:
            'SET codes.#hash = :expiry, lastSentAt = :now, expiresAt = :expiry, #ttl = :ttl' +
            (input.unverified?.length
              ? ', unverified = list_append(if_not_exists(unverified, :none), :unverified)'
              : '') +
            ' ADD sends :one',
          // Exactly the attempts the pointer saw: no approval can have happened and the count is known.
          ConditionExpression: `attempts = :attempts AND sends < :maxSends AND ${LIVE}`,
          ExpressionAttributeNames: { '#hash': input.hash, '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':expiry': input.codeExpiry,
            ':now': input.now,
            ':ttl': seconds(input.codeExpiry) + CHALLENGE_RETENTION_SECONDS,
            ':one': 1,
            ':maxSends': MAX_SENDS_PER_CHALLENGE,
            ':attempts': input.expectedAttempts,
            ...(input.unverified?.length ? { ':none': [], ':unverified': input.unverified } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    };
  }

  /** Consumes an approval: once, for this user, while bound to the number its code went to. */
  consumePart(approval: ApprovalUse, now: number): NamedPart<'approval'> {
    return {
      name: 'approval',
      write: {
        Update: {
          TableName: this.tableName,
          Key: challengeKey(approval.challengeId),
          UpdateExpression: 'SET consumedAt = :now',
          ConditionExpression:
            'storeId = :store AND userId = :user AND purpose = :authenticate AND phone = :phone AND ' +
            'attribute_not_exists(consumedAt) AND attribute_not_exists(closedAt)',
          ExpressionAttributeValues: {
            ':now': now,
            ':store': approval.storeId,
            ':user': approval.userId,
            ':authenticate': 'authenticate',
            ':phone': approval.phone,
          },
        },
      },
    };
  }
}
