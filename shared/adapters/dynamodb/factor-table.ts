import {
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { CHALLENGE_RETENTION_SECONDS } from '../../domain/challenges/challenge.ts';
import {
  newPointer,
  type FactorRecord,
  type PointerTarget,
  type SendPointer,
} from '../../domain/factors/factor.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { NewChallenge, Resend } from '../../ports/issue-ledger.ts';
import {
  factorKey,
  ownerSets,
  phonePointerKey,
  pointerAttribute,
  pointerKey,
  seconds,
  toFactor,
} from './challenge-items.ts';
import { conditionalUpdate } from './conditional-writes.ts';
import { ignoreConditionFailure, type NamedPart } from './transactions.ts';

export class FactorTable implements FactorStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(storeId: string, userId: string): Promise<FactorRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: factorKey(storeId, userId), ConsistentRead: true }),
    );
    return result.Item ? toFactor(result.Item) : undefined;
  }

  async phonePointer(storeId: string, phone: string): Promise<SendPointer | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: phonePointerKey(storeId, phone),
        ConsistentRead: true,
      }),
    );
    return result.Item?.['ptr_verify-phone'] as SendPointer | undefined;
  }

  async notePointerAttempts(target: PointerTarget, challengeId: string, attempts: number): Promise<void> {
    await this.updatePointer(target, challengeId, {
      UpdateExpression: 'SET #ptr.attempts = :attempts',
      extraCondition: '(attribute_not_exists(#ptr.attempts) OR #ptr.attempts < :attempts)',
      values: { ':attempts': attempts },
    });
  }

  async releasePointer(target: PointerTarget, challengeId: string): Promise<void> {
    await this.updatePointer(target, challengeId, {
      UpdateExpression: 'SET #ptr.lastSentAt = :zero',
      values: { ':zero': 0 },
    });
  }

  /** A best-effort change of the pointer, only while it still points at `challengeId`. */
  private async updatePointer(
    target: PointerTarget,
    challengeId: string,
    change: { UpdateExpression: string; extraCondition?: string; values: Record<string, unknown> },
  ): Promise<void> {
    const condition = [
      '#ptr.challengeId = :challenge',
      ...(change.extraCondition ? [change.extraCondition] : []),
    ];
    await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: pointerKey(target),
      UpdateExpression: change.UpdateExpression,
      ConditionExpression: condition.join(' AND '),
      ExpressionAttributeNames: { '#ptr': pointerAttribute(target) },
      ExpressionAttributeValues: { ':challenge': challengeId, ...change.values },
    });
  }

  async addFailure(storeId: string, userId: string): Promise<FactorRecord | undefined> {
    return this.updateFactor(storeId, userId, 'ALL_NEW', {
      UpdateExpression: 'ADD failureCount :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
    });
  }

  async lock(storeId: string, userId: string, until: number, threshold: number): Promise<boolean> {
    return conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: factorKey(storeId, userId),
      UpdateExpression: 'SET lockedUntil = :until, failureCount = :zero',
      ConditionExpression: 'failureCount >= :threshold',
      ExpressionAttributeValues: { ':until': until, ':zero': 0, ':threshold': threshold },
    });
  }

  async recordSuccess(storeId: string, userId: string, now: number): Promise<void> {
    await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: factorKey(storeId, userId),
      // The approved challenge is closed: the next request starts a new one without checking it.
      UpdateExpression: 'SET failureCount = :zero, lastUsedAt = :now REMOVE ptr_authenticate',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':zero': 0, ':now': new Date(now).toISOString() },
    });
  }
  async activate(
    storeId: string,
    userId: string,
    challengeId: string,
    now: number,
  ): Promise<FactorRecord | undefined> {
    return this.updateFactor(storeId, userId, 'ALL_OLD', {
      UpdateExpression:
        'SET #status = :active, phone = pendingPhone, lastVerifiedPhone = pendingPhone, verifiedAt = :now, ' +
        // A factor enrolled before countries were stored has none: null, not the replaced number's.
        'phoneCountry = if_not_exists(pendingCountry, :noCountry), failureCount = :zero ' +
        'REMOVE pendingPhone, pendingCountry, pendingChallengeId, ptr_enroll, ptr_authenticate',
      ConditionExpression: 'pendingChallengeId = :challenge',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':active': 'active',
        ':now': new Date(now).toISOString(),
        ':zero': 0,
        ':challenge': challengeId,
        ':noCountry': null,
      },
    });
  }

  async remove(storeId: string, userId: string): Promise<FactorRecord | undefined> {
    return this.updateFactor(storeId, userId, 'ALL_OLD', {
      UpdateExpression:
        'REMOVE #status, phone, phoneCountry, pendingPhone, pendingCountry, pendingChallengeId, verifiedAt, ' +
        'lastUsedAt, ptr_enroll, ptr_authenticate',
      ConditionExpression: 'attribute_exists(#status)',
      ExpressionAttributeNames: { '#status': 'status' },
    });
  }

  /** A conditional update of the factor: the factor as `image` says, or undefined when the condition failed. */
  private async updateFactor(
    storeId: string,
    userId: string,
    image: 'ALL_NEW' | 'ALL_OLD',
    update: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValues'>,
  ): Promise<FactorRecord | undefined> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          ReturnValues: image,
          ...update,
        }),
      );
      return toFactor(result.Attributes ?? {});
    } catch (error) {
      ignoreConditionFailure(error);
      return undefined;
    }
  }

  /**
   * The pointer's write for a new challenge: it points at the challenge only if it still pointed where the
   * send read it, outside the resend interval, the factor unlocked and (for users) in the state the send
   * was decided on. Enrollment sets the pending number in the same write.
   */
  startPointerPart(input: NewChallenge): NamedPart<'pointer'> {
    const { challenge, pointer, now } = input;
    const key = pointerKey(pointer);
    const owner = ownerSets(pointer.storeId, key.pk);
    const value = newPointer(challenge, now);
    const sets = ['#ptr = :ptr', owner.expression];
    const removes: string[] = [];
    const names: Record<string, string> = { '#ptr': pointerAttribute(pointer) };
    const values: Record<string, unknown> = {
      ':ptr': value,
      ':cutoff': now - input.resendIntervalMs,
      ...owner.values,
    };
    const conditions = [
      input.expectedPointer === null ? 'attribute_not_exists(#ptr)' : '#ptr.challengeId = :expected',
      '(attribute_not_exists(#ptr) OR #ptr.lastSentAt <= :cutoff)',
    ];
    if (input.expectedPointer !== null) values[':expected'] = input.expectedPointer;
    if (pointer.kind === 'user') {
      sets.push('userId = :user', 'failureCount = if_not_exists(failureCount, :zero)');
      Object.assign(values, { ':user': pointer.userId, ':zero': 0, ':now': now });
      conditions.push('(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)');
      // Cognito custom auth's sign-ins (`none`) put no condition on the factor's status.
      if (input.factor.kind !== 'none') Object.assign(values, { ':active': 'active' });
      if (input.factor.kind !== 'none' || input.pendingEnrollment) names['#status'] = 'status';
      if (input.factor.kind === 'active') {
        conditions.push('#status = :active AND phone = :current');
        values[':current'] = input.factor.phone;
      } else if (input.factor.kind === 'not-active') {
        conditions.push('(attribute_not_exists(#status) OR #status <> :active)');
      }
      if (input.pendingEnrollment) {
        sets.push(
          '#status = if_not_exists(#status, :pending)',
          'pendingPhone = :phone',
          'pendingChallengeId = :challenge',
        );
        Object.assign(values, {
          ':pending': 'pending',
          ':phone': challenge.phone,
          ':challenge': challenge.id,
        });
        // The number's country, for the factor's events (factor.ts); none: not the previous number's.
        if (challenge.country) {
          sets.push('pendingCountry = :country');
          values[':country'] = challenge.country;
        } else removes.push('pendingCountry');
      }
    } else {
      sets.push('#ttl = :ttl');
      values[':ttl'] = seconds(challenge.expiresAt) + CHALLENGE_RETENTION_SECONDS;
      names['#ttl'] = 'ttl';
    }
    return {
      name: 'pointer',
      write: {
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    };
  }

  /** The pointer's write for a resend: still this challenge, outside the resend interval. */
  resendPointerPart(input: Resend): NamedPart<'pointer'> {
    const { pointer } = input;
    const perPhone = pointer.kind === 'phone';
    return {
      name: 'pointer',
      write: {
        Update: {
          TableName: this.tableName,
          Key: pointerKey(pointer),
          UpdateExpression: perPhone
            ? 'SET #ptr.lastSentAt = :now, #ptr.expiresAt = :expiry, #ttl = :ttl'
            : 'SET #ptr.lastSentAt = :now, #ptr.expiresAt = :expiry',
          ConditionExpression: '#ptr.challengeId = :challenge AND #ptr.lastSentAt <= :cutoff',
          ExpressionAttributeNames: {
            '#ptr': pointerAttribute(pointer),
            ...(perPhone ? { '#ttl': 'ttl' } : {}),
          },
          ExpressionAttributeValues: {
            ':now': input.now,
            ':expiry': input.codeExpiry,
            ':challenge': input.challengeId,
            ':cutoff': input.now - input.resendIntervalMs,
            ...(perPhone ? { ':ttl': seconds(input.codeExpiry) + CHALLENGE_RETENTION_SECONDS } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    };
  }
}
