import type { ChallengePurpose, ChallengeRecord } from '../domain/challenges/challenge.ts';
import type { FactorRecord, SendPointer } from '../domain/factors/factor.ts';
import type { SendLimits } from '../domain/identity-stores/identity-store.ts';

/** Where the send pointer of a challenge lives: on the user's factor, or on a per-phone item. */
export type PointerTarget =
  | { kind: 'user'; storeId: string; userId: string; purpose: Exclude<ChallengePurpose, 'verify-phone'> }
  | { kind: 'phone'; storeId: string; phone: string };

export interface SendWindow {
  storeId: string;
  phone: string;
  limits: SendLimits;
  now: number;
}

export interface NewChallenge {
  challenge: ChallengeRecord;
  window: SendWindow;
  pointer: PointerTarget;
  /** The challenge the pointer held when it was read (null: none), so a concurrent issue is detected. */
  expectedPointer: string | null;
  resendIntervalMs: number;
  /** Enrollment: the factor's pending number and challenge are set in the same transaction. */
  pendingEnrollment?: boolean;
}

export interface Resend {
  challengeId: string;
  /** The attempt count the pointer recorded; the write fails with NotResendable if it moved. */
  expectedAttempts: number;
  hash: string;
  codeExpiry: number;
  window: SendWindow;
  pointer: PointerTarget;
  resendIntervalMs: number;
}

export type LimitName =
  'perPhonePer10Minutes' | 'perPhonePerDay' | 'perStorePerDay' | 'resendInterval' | 'factorLocked';

/** A send refused by a limit; nothing was written. */
export class LimitReached extends Error {
  constructor(
    readonly limit: LimitName,
    readonly retryAfterSeconds: number,
  ) {
    super(`limit reached: ${limit}`);
  }
}

/** The state read before the write changed meanwhile (another request issued or used the challenge). */
export class StaleState extends Error {
  constructor(readonly reason: string) {
    super(`stale state: ${reason}`);
  }
}

/** The live challenge was not as the pointer described it; `current` is the challenge as it is. */
export class NotResendable extends Error {
  constructor(readonly current: ChallengeRecord | undefined) {
    super('the challenge is not as expected for a resend');
  }
}

export type AttemptResult =
  { kind: 'counted'; after: ChallengeRecord } | { kind: 'refused'; before: ChallengeRecord | undefined };

/**
 * Challenges, factors, send counters and idempotency records. Every multi-item change is one
 * transaction; the verify path is one conditional update.
 */
export interface ChallengeRepository {
  getFactor(storeId: string, userId: string): Promise<FactorRecord | undefined>;
  getPhonePointer(storeId: string, phone: string): Promise<SendPointer | undefined>;
  getChallenge(id: string): Promise<ChallengeRecord | undefined>;

  /** Counts the send against every window, writes the challenge and points the target at it. */
  startChallenge(input: NewChallenge): Promise<void>;
  /** Adds a code to a live challenge. Throws LimitReached, NotResendable, or StaleState when the pointer moved. */
  resend(input: Resend): Promise<void>;
  /** Keeps the pointer's attempt count in step after a wrong code (only ever raises it). */
  notePointerAttempts(target: PointerTarget, challengeId: string, attempts: number): Promise<void>;
  /**
   * After a failed send the challenge is dead: every code of it stops verifying, this one is removed,
   * and the send is refunded so the user may ask again at once.
   */
  abandonChallenge(
    challengeId: string,
    hash: string,
    window: SendWindow,
    pointer: PointerTarget,
  ): Promise<void>;

  /** Counts the attempt and records the first presenter of `hash`, in one conditional update. */
  attempt(
    challengeId: string,
    storeId: string,
    hash: string,
    stamp: string,
    now: number,
  ): Promise<AttemptResult>;
  /** Adds a failure to the user's streak; at the threshold locks the factor and ends its live challenges. */
  recordFailure(storeId: string, userId: string, now: number): Promise<{ lockedUntil: number | null }>;
  /** Resets the failure streak and stamps lastUsedAt. */
  recordSuccess(storeId: string, userId: string, now: number): Promise<void>;
  /** Makes the pending number the factor's number. Returns the number it replaced, if any. StaleState if cancelled. */
  activateFactor(
    storeId: string,
    userId: string,
    challengeId: string,
    now: number,
  ): Promise<{ replacedPhone: string | null }>;
  /** Back to `none`, remembering the last verified number. */
  removeFactor(storeId: string, userId: string): Promise<boolean>;

  /** Idempotency: the first caller claims the key; later callers get the stored answer. */
  claimIdempotencyKey(
    storeId: string,
    key: string,
    fingerprint: string,
    now: number,
  ): Promise<IdempotencyClaim>;
  completeIdempotencyKey(storeId: string, key: string, response: StoredResponse): Promise<void>;
  releaseIdempotencyKey(storeId: string, key: string): Promise<void>;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };
