export type ChallengePurpose = 'enroll' | 'authenticate' | 'verify-phone';

/** At most this many codes are sent for one challenge (the first send and four resends). */
export const MAX_SENDS_PER_CHALLENGE = 5;

/** How long an item outlives its last code, so an approved challenge can back a number change. */
export const CHALLENGE_RETENTION_SECONDS = 3600;

/** An approved `authenticate` challenge authorises replacing the factor's number for this long. */
export const REPLACEMENT_APPROVAL_WINDOW_MS = 10 * 60_000;

export interface ChallengeRecord {
  id: string;
  storeId: string;
  userId: string | null;
  purpose: ChallengePurpose;
  phone: string;
  /** Code hash → expiry in epoch ms. Every code sent stays valid until its own expiry. */
  codes: Record<string, number>;
  /** Code hash → `<stamp>@<epoch ms>` of the first attempt with that hash (set once, never overwritten). */
  tried: Record<string, string>;
  attempts: number;
  maxAttempts: number;
  sends: number;
  lastSentAt: number;
  /** Epoch ms of the newest code's expiry: after it nothing can be verified. */
  expiresAt: number;
  createdAt: string;
  /** Set when the user's factor was locked: every attempt is refused until then. */
  lockedUntil?: number;
  /** Bookkeeping copied from the factor at issue so that a clean success needs no factor write. */
  factorFailuresAtIssue: number;
  factorLastUsedAt: string | null;
}

/** lastUsedAt is refreshed at most this often, so a clean approval is a single write. */
export const LAST_USED_RESOLUTION_MS = 60 * 60_000;

function triedAt(stamp: string): number {
  return Number(stamp.slice(stamp.lastIndexOf('@') + 1));
}

/** The approval, if any: the first attempt of a sent code made before that code expired. */
export function approvalOf(
  challenge: Pick<ChallengeRecord, 'codes' | 'tried'>,
): { hash: string; at: number } | undefined {
  let first: { hash: string; at: number } | undefined;
  for (const [hash, expiry] of Object.entries(challenge.codes)) {
    const stamp = challenge.tried[hash];
    if (stamp === undefined) continue;
    const at = triedAt(stamp);
    if (at <= expiry && (!first || at < first.at)) first = { hash, at };
  }
  return first;
}

export type AttemptVerdict =
  | { kind: 'approved'; at: number }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'wrong'; attemptsRemaining: number };

/**
 * Judges an attempt from the challenge as the atomic attempt write left it. The write counted the
 * attempt and recorded the first stamp per hash, so: approved only if this request was the first to
 * present a live code and no other approval exists; a second presenter of the same code gets `used`.
 */
export function judgeAttempt(after: ChallengeRecord, hash: string, stamp: string): AttemptVerdict {
  const approval = approvalOf(after);
  if (approval && (approval.hash !== hash || after.tried[hash] !== stamp)) return { kind: 'used' };
  if (approval) return { kind: 'approved', at: approval.at };
  if (after.codes[hash] === undefined) {
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
  if (before.lockedUntil && before.lockedUntil > now) return 'locked';
  if (before.attempts >= before.maxAttempts) return 'dead';
  return 'expired';
}
