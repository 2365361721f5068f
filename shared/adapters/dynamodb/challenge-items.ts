import type { ChallengeRecord } from '../../domain/challenges/challenge.ts';
import {
  emptyFactor,
  type FactorRecord,
  type PointerTarget,
  type SendPointer,
} from '../../domain/factors/factor.ts';
import type { CounterWindow } from '../../domain/sending/send-windows.ts';
import { challengeSchema, parseChallenge } from './challenge-item.ts';
import { keyOf } from './parse-item.ts';
import { ownedBy } from './store-ownership.ts';
import { USER_CHALLENGES_PREFIX } from './key-prefixes.ts';
import { GSI1 } from './table-definition.ts';

export { ownedBy };

/** Keys and item shapes of the challenge core's items; the stores and the issue ledger share them. */
export const challengeKey = (id: string) => ({ pk: `CHALLENGE#${id}`, sk: 'CHALLENGE' });
export const factorKey = (storeId: string, userId: string) => ({
  pk: `FACTOR#${storeId}#${userId}`,
  sk: 'FACTOR',
});
export const phonePointerKey = (storeId: string, phone: string) => ({
  pk: `PHONEPTR#${storeId}#${phone}`,
  sk: 'POINTER',
});

const WINDOW_NAMES: Record<CounterWindow['limit'], string> = {
  perPhonePer10Minutes: 'phone10m',
  perPhonePerDay: 'phoneDay',
  trustedPerDay: 'trustedDay',
  perStorePerDay: 'storeDay',
  voicePerPhonePerDay: 'voicePhoneDay',
  voicePerStorePerDay: 'voiceStoreDay',
  prefixPerHour: 'prefixHour',
  countryPerHour: 'countryHour',
  clientIpPer10Minutes: 'ip10m',
  applicationPerMinute: 'appMinute',
  storeSpendPerDay: 'spendDay',
  countrySpendPerDay: 'countrySpendDay',
};

/** The key prefix of one store's counters of one limit (a begins_with condition on `pk`). */
export const counterKeyPrefix = (storeId: string, limit: CounterWindow['limit']) =>
  `COUNT#${storeId}#${WINDOW_NAMES[limit]}#`;

/** One counter item per window; store-wide windows per shard, per-phone windows per number. */
export function counterKey(storeId: string, phone: string, window: CounterWindow) {
  const shard = window.shard === undefined ? '' : `shard${window.shard}`;
  // Fraud-guard windows count a subject (prefix, country, address, application), never the phone.
  const scope =
    window.subject === undefined ? shard || phone : `${window.subject}${shard ? `#${shard}` : ''}`;
  return { pk: `${counterKeyPrefix(storeId, window.limit)}${scope}#${window.bucket}`, sk: 'COUNT' };
}

/** The window of a fraud-guard counter's key (counterKey read backwards); null for any other counter. */
export function subjectWindowOf(
  pk: string,
): Pick<CounterWindow, 'limit' | 'subject' | 'bucket' | 'shard'> | null {
  const [prefix, _store, name, subject, ...rest] = pk.split('#');
  const limit = LIMIT_OF_NAME.get(name ?? '');
  const bucket = Number(rest.pop());
  if (prefix !== 'COUNT' || !limit || subject === undefined || !Number.isInteger(bucket)) return null;
  const shard = rest[0]?.startsWith('shard') ? Number(rest[0].slice('shard'.length)) : undefined;
  return { limit, subject, bucket, ...(shard === undefined ? {} : { shard }) };
}

const LIMIT_OF_NAME = new Map(
  Object.entries(WINDOW_NAMES).map(([limit, name]) => [name, limit as CounterWindow['limit']]),
);

export const seconds = (ms: number) => Math.ceil(ms / 1000);

export const pointerAttribute = (target: PointerTarget) =>
  target.kind === 'user' ? `ptr_${target.purpose}` : 'ptr_verify-phone';

export const pointerKey = (target: PointerTarget) =>
  target.kind === 'user'
    ? factorKey(target.storeId, target.userId)
    : phonePointerKey(target.storeId, target.phoneKey);

/** The `gsi1` keys a user's challenge carries, so the support desk lists them newest first. */
export function userChallengeIndex(
  challenge: Pick<ChallengeRecord, 'storeId' | 'userId' | 'createdAt' | 'id'>,
) {
  if (challenge.userId === null) return {};
  return {
    [GSI1.partitionKey]: `${USER_CHALLENGES_PREFIX}${challenge.storeId}#${challenge.userId}`,
    [GSI1.sortKey]: `${challenge.createdAt}#${challenge.id}`,
  };
}

/** The attributes an Update sets so that the item is found by the store's sweep. */
export function ownerSets(storeId: string, pk: string) {
  const owner = ownedBy(storeId, pk);
  return {
    expression: 'storeId = :ownerStore, ownerShard = :ownerShard',
    values: { ':ownerStore': owner.storeId, ':ownerShard': owner.ownerShard },
  };
}

const COUNTER_LIMITS = Object.keys(WINDOW_NAMES) as [CounterWindow['limit'], ...CounterWindow['limit'][]];
const CHALLENGE_ITEM = challengeSchema(COUNTER_LIMITS);

export function toChallenge(item: Record<string, unknown>): ChallengeRecord {
  const {
    pk: _pk,
    sk: _sk,
    ttl: _ttl,
    entity: _entity,
    ownerShard: _owner,
    gsi1pk: _userIndex,
    gsi1sk: _userOrder,
    ...rest
  } = item;
  // Written by the first attempt: a challenge never tried has neither map.
  return parseChallenge(CHALLENGE_ITEM, { tried: {}, triedAt: {}, ...rest }, keyOf(item));
}

export function toFactor(item: Record<string, unknown>): FactorRecord {
  const base = emptyFactor(item.storeId as string, item.userId as string);
  return {
    ...base,
    status: (item.status as FactorRecord['status'] | undefined) ?? 'none',
    phone: (item.phone as string | undefined) ?? null,
    pendingPhone: (item.pendingPhone as string | undefined) ?? null,
    // Activation copies an absent pending country as null.
    ...(typeof item.phoneCountry === 'string' ? { phoneCountry: item.phoneCountry } : {}),
    ...(typeof item.pendingCountry === 'string' ? { pendingCountry: item.pendingCountry } : {}),
    pendingChallengeId: (item.pendingChallengeId as string | undefined) ?? null,
    lastVerifiedPhone: (item.lastVerifiedPhone as string | undefined) ?? null,
    verifiedAt: (item.verifiedAt as string | undefined) ?? null,
    lastUsedAt: (item.lastUsedAt as string | undefined) ?? null,
    failureCount: (item.failureCount as number | undefined) ?? 0,
    lockedUntil: (item.lockedUntil as number | undefined) ?? null,
    resetAt: (item.resetAt as number | undefined) ?? null,
    pointers: {
      ...(item.ptr_enroll ? { enroll: item.ptr_enroll as SendPointer } : {}),
      ...(item.ptr_authenticate ? { authenticate: item.ptr_authenticate as SendPointer } : {}),
    },
  };
}
