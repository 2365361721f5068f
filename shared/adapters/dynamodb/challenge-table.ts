import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  CHALLENGE_RETENTION_SECONDS,
  MAX_SENDS_PER_CHALLENGE,
  type ChallengeRecord,
} from '../../domain/challenges/challenge.ts';
import {
  emptyFactor,
  FACTOR_LOCK_AFTER_FAILURES,
  FACTOR_LOCK_MS,
  type FactorRecord,
  type SendPointer,
} from '../../domain/factors/factor.ts';
import {
  LimitReached,
  NotResendable,
  StaleState,
  type AttemptResult,
  type ChallengeRepository,
  type IdempotencyClaim,
  type LimitName,
  type NewChallenge,
  type PointerTarget,
  type Resend,
  type SendWindow,
  type StoredResponse,
} from '../../ports/challenge-repository.ts';
import { ConditionsFailed, transactWrite } from './transactions.ts';

const challengeKey = (id: string) => ({ pk: `CHALLENGE#${id}`, sk: 'CHALLENGE' });
const factorKey = (storeId: string, userId: string) => ({ pk: `FACTOR#${storeId}#${userId}`, sk: 'FACTOR' });
const phonePointerKey = (storeId: string, phone: string) => ({
  pk: `PHONEPTR#${storeId}#${phone}`,
  sk: 'POINTER',
});
const idempotencyKey = (storeId: string, key: string) => ({
  pk: `IDEMPOTENCY#${storeId}#${key}`,
  sk: 'IDEMPOTENCY',
});

const TEN_MINUTES = 600_000;
const DAY = 86_400_000;
const IDEMPOTENCY_SECONDS = 600;

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** The three send windows, in transaction order: fixed windows, each a counter item with its own TTL. */
function counters(
  window: SendWindow,
): Array<{ limit: LimitName; key: Record<string, string>; max: number; endsAt: number }> {
  const { storeId, phone, limits, now } = window;
  const tenMinutes = Math.floor(now / TEN_MINUTES);
  const day = Math.floor(now / DAY);
  return [
    {
      limit: 'perPhonePer10Minutes',
      key: { pk: `COUNT#${storeId}#phone10m#${phone}#${tenMinutes}`, sk: 'COUNT' },
      max: limits.perPhonePer10Minutes,
      endsAt: (tenMinutes + 1) * TEN_MINUTES,
    },
    {
      limit: 'perPhonePerDay',
      key: { pk: `COUNT#${storeId}#phoneDay#${phone}#${day}`, sk: 'COUNT' },
      max: limits.perPhonePerDay,
      endsAt: (day + 1) * DAY,
    },
    {
      limit: 'perStorePerDay',
      key: { pk: `COUNT#${storeId}#storeDay#${day}`, sk: 'COUNT' },
      max: limits.perStorePerDay,
      endsAt: (day + 1) * DAY,
    },
  ];
}

const pointerAttribute = (target: PointerTarget) =>
  target.kind === 'user' ? `ptr_${target.purpose}` : 'ptr_verify-phone';
const pointerKey = (target: PointerTarget) =>
  target.kind === 'user'
    ? factorKey(target.storeId, target.userId)
    : phonePointerKey(target.storeId, target.phone);

function toChallenge(item: Record<string, unknown>): ChallengeRecord {
  const { pk: _pk, sk: _sk, ttl: _ttl, entity: _entity, ...rest } = item;
  return rest as unknown as ChallengeRecord;
}

function toFactor(item: Record<string, unknown>): FactorRecord {
  const base = emptyFactor(item.storeId as string, item.userId as string);
  return {
    ...base,
    status: (item.status as FactorRecord['status'] | undefined) ?? 'none',
    phone: (item.phone as string | undefined) ?? null,
    pendingPhone: (item.pendingPhone as string | undefined) ?? null,
    pendingChallengeId: (item.pendingChallengeId as string | undefined) ?? null,
    lastVerifiedPhone: (item.lastVerifiedPhone as string | undefined) ?? null,
    verifiedAt: (item.verifiedAt as string | undefined) ?? null,
    lastUsedAt: (item.lastUsedAt as string | undefined) ?? null,
    failureCount: (item.failureCount as number | undefined) ?? 0,
    lockedUntil: (item.lockedUntil as number | undefined) ?? null,
    pointers: {
      ...(item.ptr_enroll ? { enroll: item.ptr_enroll as SendPointer } : {}),
      ...(item.ptr_authenticate ? { authenticate: item.ptr_authenticate as SendPointer } : {}),
    },
  };
}

export class ChallengeTable implements ChallengeRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getFactor(storeId: string, userId: string): Promise<FactorRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: factorKey(storeId, userId), ConsistentRead: true }),
    );
    return result.Item ? toFactor(result.Item) : undefined;
  }

  async getPhonePointer(storeId: string, phone: string): Promise<SendPointer | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: phonePointerKey(storeId, phone),
        ConsistentRead: true,
      }),
    );
    return result.Item?.['ptr_verify-phone'] as SendPointer | undefined;
  }

  async getChallenge(id: string): Promise<ChallengeRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: challengeKey(id), ConsistentRead: true }),
    );
    return result.Item ? toChallenge(result.Item) : undefined;
  }

  async startChallenge(input: NewChallenge): Promise<void> {
    const { challenge, window, pointer } = input;
    const now = window.now;
    const pointerValue: SendPointer = {
      challengeId: challenge.id,
      phone: challenge.phone,
      lastSentAt: now,
      expiresAt: challenge.expiresAt,
      attempts: 0,
      maxAttempts: challenge.maxAttempts,
    };
    const sets = ['#ptr = :ptr'];
    const values: Record<string, unknown> = { ':ptr': pointerValue, ':cutoff': now - input.resendIntervalMs };
    const names: Record<string, string> = { '#ptr': pointerAttribute(pointer) };
    const conditions = [
      input.expectedPointer === null ? 'attribute_not_exists(#ptr)' : '#ptr.challengeId = :expected',
      '(attribute_not_exists(#ptr) OR #ptr.lastSentAt <= :cutoff)',
    ];
    if (input.expectedPointer !== null) values[':expected'] = input.expectedPointer;
    if (pointer.kind === 'user') {
      sets.push('storeId = :store', 'userId = :user', 'failureCount = if_not_exists(failureCount, :zero)');
      Object.assign(values, { ':store': pointer.storeId, ':user': pointer.userId, ':zero': 0, ':now': now });
      conditions.push('(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)');
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
        names['#status'] = 'status';
      }
    } else {
      sets.push('#ttl = :ttl');
      values[':ttl'] = seconds(challenge.expiresAt) + CHALLENGE_RETENTION_SECONDS;
      names['#ttl'] = 'ttl';
    }
    const limits = counters(window);
    try {
      await transactWrite(this.client, {
        TransactItems: [
          ...limits.map((c) => this.countSend(c.key, c.max, c.endsAt)),
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...challengeKey(challenge.id),
                entity: 'challenge',
                ...challenge,
                ttl: seconds(challenge.expiresAt) + CHALLENGE_RETENTION_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: pointerKey(pointer),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      });
    } catch (error) {
      throw this.sendRefusal(
        error,
        limits,
        now,
        input.resendIntervalMs,
        pointerAttribute(pointer),
        input.expectedPointer,
      );
    }
  }

  async resend(input: Resend): Promise<void> {
    const { window, pointer } = input;
    const now = window.now;
    const limits = counters(window);
    const pointerNames = { '#ptr': pointerAttribute(pointer) };
    try {
      await transactWrite(this.client, {
        TransactItems: [
          ...limits.map((c) => this.countSend(c.key, c.max, c.endsAt)),
          {
            Update: {
              TableName: this.tableName,
              Key: challengeKey(input.challengeId),
              UpdateExpression:
                'SET codes.#hash = :expiry, lastSentAt = :now, expiresAt = :expiry, #ttl = :ttl ADD sends :one',
              // Exactly the attempts the pointer saw: no approval can have happened and the count is known.
              ConditionExpression:
                'attempts = :attempts AND attempts < maxAttempts AND sends < :maxSends AND expiresAt > :now AND ' +
                '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
              ExpressionAttributeNames: { '#hash': input.hash, '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':expiry': input.codeExpiry,
                ':now': now,
                ':ttl': seconds(input.codeExpiry) + CHALLENGE_RETENTION_SECONDS,
                ':one': 1,
                ':maxSends': MAX_SENDS_PER_CHALLENGE,
                ':attempts': input.expectedAttempts,
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: pointerKey(pointer),
              UpdateExpression:
                pointer.kind === 'phone'
                  ? 'SET #ptr.lastSentAt = :now, #ptr.expiresAt = :expiry, #ttl = :ttl'
                  : 'SET #ptr.lastSentAt = :now, #ptr.expiresAt = :expiry',
              ConditionExpression: '#ptr.challengeId = :challenge AND #ptr.lastSentAt <= :cutoff',
              ExpressionAttributeNames:
                pointer.kind === 'phone' ? { ...pointerNames, '#ttl': 'ttl' } : pointerNames,
              ExpressionAttributeValues: {
                ':now': now,
                ':expiry': input.codeExpiry,
                ':challenge': input.challengeId,
                ':cutoff': now - input.resendIntervalMs,
                ...(pointer.kind === 'phone'
                  ? { ':ttl': seconds(input.codeExpiry) + CHALLENGE_RETENTION_SECONDS }
                  : {}),
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionsFailed) {
        const challenge = error.at(3);
        if (challenge) throw new NotResendable(challenge.item ? toChallenge(challenge.item) : undefined);
      }
      throw this.sendRefusal(
        error,
        limits,
        now,
        input.resendIntervalMs,
        pointerAttribute(pointer),
        input.challengeId,
      );
    }
  }

  async notePointerAttempts(target: PointerTarget, challengeId: string, attempts: number): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pointerKey(target),
          UpdateExpression: 'SET #ptr.attempts = :attempts',
          ConditionExpression:
            '#ptr.challengeId = :challenge AND (attribute_not_exists(#ptr.attempts) OR #ptr.attempts < :attempts)',
          ExpressionAttributeNames: { '#ptr': pointerAttribute(target) },
          ExpressionAttributeValues: { ':attempts': attempts, ':challenge': challengeId },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async abandonChallenge(
    challengeId: string,
    hash: string,
    window: SendWindow,
    pointer: PointerTarget,
  ): Promise<void> {
    // First and alone: once this succeeds no usable code is left, whatever happens to the bookkeeping.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: challengeKey(challengeId),
        UpdateExpression: 'SET attempts = maxAttempts REMOVE codes.#hash',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#hash': hash },
      }),
    );
    // The send did not happen: refund the counters and let the user ask again at once. Best effort.
    const ignoreConditions = (error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    };
    await Promise.all([
      ...counters(window).map((c) =>
        this.client
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: c.key,
              UpdateExpression: 'ADD n :minusOne',
              ConditionExpression: 'n > :zero',
              ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
            }),
          )
          .catch(ignoreConditions),
      ),
      this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: pointerKey(pointer),
            UpdateExpression: 'SET #ptr.lastSentAt = :zero',
            ConditionExpression: '#ptr.challengeId = :challenge',
            ExpressionAttributeNames: { '#ptr': pointerAttribute(pointer) },
            ExpressionAttributeValues: { ':zero': 0, ':challenge': challengeId },
          }),
        )
        .catch(ignoreConditions),
    ]);
  }

  async attempt(
    challengeId: string,
    storeId: string,
    hash: string,
    stamp: string,
    now: number,
  ): Promise<AttemptResult> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: challengeKey(challengeId),
          UpdateExpression: 'SET tried.#hash = if_not_exists(tried.#hash, :stamp) ADD attempts :one',
          ConditionExpression:
            'attribute_exists(pk) AND storeId = :store AND attempts < maxAttempts AND expiresAt > :now AND ' +
            '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
          ExpressionAttributeNames: { '#hash': hash },
          ExpressionAttributeValues: { ':stamp': stamp, ':one': 1, ':store': storeId, ':now': now },
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

  async recordFailure(storeId: string, userId: string, now: number): Promise<{ lockedUntil: number | null }> {
    let counted: FactorRecord;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          UpdateExpression: 'ADD failureCount :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      counted = toFactor(result.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { lockedUntil: null };
      throw error;
    }
    if (counted.failureCount < FACTOR_LOCK_AFTER_FAILURES) return { lockedUntil: null };
    const lockedUntil = now + FACTOR_LOCK_MS;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          UpdateExpression: 'SET lockedUntil = :until, failureCount = :zero',
          ConditionExpression: 'failureCount >= :threshold',
          ExpressionAttributeValues: {
            ':until': lockedUntil,
            ':zero': 0,
            ':threshold': FACTOR_LOCK_AFTER_FAILURES,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { lockedUntil: (await this.getFactor(storeId, userId))?.lockedUntil ?? null };
    }
    // Live challenges of the user stop accepting attempts, so the lock holds without a factor read on verify.
    await Promise.all(
      Object.values(counted.pointers).map((pointer) =>
        this.client
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: challengeKey(pointer.challengeId),
              UpdateExpression: 'SET lockedUntil = :until',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':until': lockedUntil },
            }),
          )
          .catch((error: unknown) => {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }),
      ),
    );
    return { lockedUntil };
  }

  async recordSuccess(storeId: string, userId: string, now: number): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          // The approved challenge is closed: the next request starts a new one without checking it.
          UpdateExpression: 'SET failureCount = :zero, lastUsedAt = :now REMOVE ptr_authenticate',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':zero': 0, ':now': new Date(now).toISOString() },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async activateFactor(
    storeId: string,
    userId: string,
    challengeId: string,
    now: number,
  ): Promise<{ replacedPhone: string | null }> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          UpdateExpression:
            'SET #status = :active, phone = pendingPhone, lastVerifiedPhone = pendingPhone, verifiedAt = :now, ' +
            'failureCount = :zero REMOVE pendingPhone, pendingChallengeId, ptr_enroll',
          ConditionExpression: 'pendingChallengeId = :challenge',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':active': 'active',
            ':now': new Date(now).toISOString(),
            ':zero': 0,
            ':challenge': challengeId,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const before = toFactor(result.Attributes ?? {});
      const replaced = before.status === 'active' && before.phone && before.phone !== before.pendingPhone;
      return { replacedPhone: replaced ? before.phone : null };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new StaleState('enrollment was cancelled or replaced');
      throw error;
    }
  }

  async removeFactor(storeId: string, userId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          UpdateExpression:
            'REMOVE #status, phone, pendingPhone, pendingChallengeId, verifiedAt, lastUsedAt, ptr_enroll, ptr_authenticate',
          ConditionExpression: 'attribute_exists(#status)',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async claimIdempotencyKey(
    storeId: string,
    key: string,
    fingerprint: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...idempotencyKey(storeId, key),
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

  private countSend(key: Record<string, string>, max: number, endsAt: number) {
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(n) OR n < :max',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': seconds(endsAt) + 60 },
      },
    };
  }

  /** Which of the send's conditions refused it, as the domain understands it. */
  private sendRefusal(
    error: unknown,
    limits: ReturnType<typeof counters>,
    now: number,
    intervalMs: number,
    attribute: string,
    expectedPointer: string | null,
  ): unknown {
    if (!(error instanceof ConditionsFailed)) return error;
    for (const [index, limit] of limits.entries()) {
      if (error.at(index)) return new LimitReached(limit.limit, (limit.endsAt - now) / 1000);
    }
    const pointerFailure = error.at(limits.length + 1);
    if (pointerFailure) {
      const item = pointerFailure.item ?? {};
      const lockedUntil = item.lockedUntil as number | undefined;
      if (lockedUntil && lockedUntil > now)
        return new LimitReached('factorLocked', (lockedUntil - now) / 1000);
      const current = item[attribute] as SendPointer | undefined;
      if ((current?.challengeId ?? null) !== expectedPointer)
        return new StaleState('another challenge was issued');
      if (current && current.lastSentAt > now - intervalMs) {
        return new LimitReached('resendInterval', (current.lastSentAt + intervalMs - now) / 1000);
      }
    }
    return new StaleState('send conditions changed');
  }
}
