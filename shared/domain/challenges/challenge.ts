import type { CounterWindow } from '../sending/send-windows.ts';
export type ChallengePurpose = 'enroll' | 'authenticate' | 'verify-phone';

/** At most this many codes are sent for one challenge (the first send and four resends). */
export const MAX_SENDS_PER_CHALLENGE = 5;

/** How long an item outlives its last code, so an approved challenge can back a number change. */
export const CHALLENGE_RETENTION_SECONDS = 3600;

/** An approved `authenticate` challenge authorises replacing the factor's number for this long. */
export const REPLACEMENT_APPROVAL_WINDOW_MS = 10 * 60_000;

/** lastUsedAt is refreshed at most this often, so a clean approval is a single write. */
export const LAST_USED_RESOLUTION_MS = 60 * 60_000;

export interface ChallengeRecord {
  id: string;
  /**
   * The fraud guard's unverified counts of each send (prefix and country, in the hour it was sent): the
   * approval takes them off again.
   */
  unverified?: CounterWindow[];
  storeId: string;
  userId: string | null;
  purpose: ChallengePurpose;
  phone: string;
  /**
   * The number's country (ISO 3166-1 alpha-2) as the send parsed it, when it maps to one: events and
   * metrics name it without parsing the number again (verify bundles no phone metadata). Absent from
   * challenges issued before it was stored: their events then name no country.
   */
  country?: string;
  /** Code hash → expiry in epoch ms. Every code sent stays valid until its own expiry. */
  codes: Record<string, number>;
  /**
   * Code hash → the attempt count before the first attempt with that hash: the storage's own order of
   * attempts (set once with if_not_exists in the counting write), never a caller's clock.
   */
  tried: Record<string, number>;
  /** Code hash → epoch ms of that first attempt, to judge it against the code's own expiry. */
  triedAt: Record<string, number>;
  attempts: number;
  maxAttempts: number;
  sends: number;
  lastSentAt: number;
  /** Epoch ms of the newest code's expiry: after it nothing can be verified. Closing sets it to the past. */
  expiresAt: number;
  createdAt: string;
  /** Set when the user's factor was locked: every attempt is refused until then. */
  lockedUntil?: number;
  /** Epoch ms: closed by a replacement, a factor removal, a newer enrollment or a failed send. */
  closedAt?: number;
  /** The pepper version its first code was hashed with (a rotation keeps the previous one for a while). */
  pepperVersion?: string;
  /** Epoch ms: the approval's unverified sends were taken off the counts (deployed: asynchronously, once). */
  uncountedAt?: number;
  /** Epoch ms: this approved `authenticate` challenge authorised a number replacement (once). */
  consumedAt?: number;
  /** Epoch ms: its `challenge.failed` with reason `expired` was emitted (set once, conditionally). */
  expiryReportedAt?: number;
  /** Epoch ms: the client canceled it (closedAt is set with it); its failed attempts carry over. */
  canceledAt?: number;
  /** The application of the key that created it: only that application's keys may cancel it. */
  applicationId?: string;
  /** Its codes go to a test number (shown by the challenge history). */
  test?: boolean;
  /** Bookkeeping copied from the factor at issue so that a clean success needs no factor write. */
  factorFailuresAtIssue: number;
  factorLastUsedAt: string | null;
}

/**
 * The approval, if any: among codes first presented before their own expiry, the one presented first in
 * the storage's order. The order only grows, so every reader of any later state finds the same approval.
 */
export function approvalOf(
  challenge: Pick<ChallengeRecord, 'codes' | 'tried' | 'triedAt'>,
): { hash: string; at: number } | undefined {
  let first: { hash: string; at: number; order: number } | undefined;
  for (const [hash, expiry] of Object.entries(challenge.codes)) {
    const order = challenge.tried[hash];
    const at = challenge.triedAt[hash];
    if (order === undefined || at === undefined || at > expiry) continue;
    if (!first || order < first.order) first = { hash, at, order };
  }
  return first && { hash: first.hash, at: first.at };
}

/**
 * Whether a challenge still takes attempts and resends: the same clauses the storage's attempt condition
 * checks (attempts left, not expired or closed, not locked), plus no approval yet.
 */
export function isLive(challenge: ChallengeRecord, now: number): boolean {
  return (
    challenge.attempts < challenge.maxAttempts &&
    challenge.expiresAt > now &&
    !(challenge.lockedUntil !== undefined && challenge.lockedUntil > now) &&
    !approvalOf(challenge)
  );
}

/** A lock that lasts past the challenge's expiry ended it: nothing can be verified before it expires. */
export const endedByLock = (challenge: Pick<ChallengeRecord, 'lockedUntil' | 'expiresAt'>): boolean =>
  challenge.lockedUntil !== undefined && challenge.lockedUntil >= challenge.expiresAt;

/**
 * Whether a challenge has not ended yet, a lock that ends before it expires included. Every ending
 * (approval, last attempt, failed first send, close, a lock that outlasts it, expiry) starts from an open
 * challenge exactly once, so the one write that ends an open challenge emits its `challenge.failed`.
 */
export function isOpen(challenge: ChallengeRecord, now: number): boolean {
  return (
    challenge.attempts < challenge.maxAttempts &&
    challenge.expiresAt > now &&
    challenge.closedAt === undefined &&
    !endedByLock(challenge) &&
    !approvalOf(challenge)
  );
}

/** Expired while open (no other ending came first) and not reported yet: its failure is `expired`. */
export function expiredUnreported(challenge: ChallengeRecord, now: number): boolean {
  return (
    challenge.expiresAt <= now &&
    challenge.expiryReportedAt === undefined &&
    challenge.attempts < challenge.maxAttempts &&
    challenge.closedAt === undefined &&
    !endedByLock(challenge) &&
    !approvalOf(challenge)
  );
}

export type AttemptVerdict =
  | { kind: 'approved'; at: number }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'wrong'; attemptsRemaining: number };

/**
 * Judges an attempt (the code's hash under each live pepper version) from the challenge as its counting
 * write left it. That write raised `attempts` by one,
 * so this attempt's place in the order is `attempts - 1`: approved only if it is the approval's first
 * presentation; any other presenter of any code, once an approval exists, gets `used`.
 */
export function judgeAttempt(after: ChallengeRecord, hashes: readonly string[]): AttemptVerdict {
  const approval = approvalOf(after);
  const place = after.attempts - 1;
  if (approval) {
    const mine = hashes.includes(approval.hash) && after.tried[approval.hash] === place;
    return mine ? { kind: 'approved', at: approval.at } : { kind: 'used' };
  }
  if (hashes.every((hash) => after.codes[hash] === undefined)) {
    return { kind: 'wrong', attemptsRemaining: Math.max(after.maxAttempts - after.attempts, 0) };
  }
  // A sent code without an approval was first presented after its expiry.
  return { kind: 'expired' };
}

/** Why an attempt write was refused, from the item as it was (undefined: no such challenge). */
export type RefusalReason = 'not-found' | 'used' | 'locked' | 'dead' | 'expired';

export function refusalOf(before: ChallengeRecord | undefined, storeId: string, now: number): RefusalReason {
  if (!before || before.storeId !== storeId) return 'not-found';
  if (approvalOf(before)) return 'used';
  if (before.closedAt === undefined && before.lockedUntil && before.lockedUntil > now) return 'locked';
  if (before.attempts >= before.maxAttempts) return 'dead';
  return 'expired';
}

/** The view of a challenge a send answers with. */
export interface ChallengeView {
  id: string;
  purpose: ChallengePurpose;
  maskedPhone: string;
  expiresAt: string;
  resendAvailableAt: string;
  attemptsRemaining: number;
}
