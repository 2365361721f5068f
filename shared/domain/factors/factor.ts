import type { ChallengePurpose } from '../challenges/challenge.ts';

/** Where the live challenge of a user/purpose (or a phone, for verify-phone) is found for resends. */
export interface SendPointer {
  challengeId: string;
  phone: string;
  lastSentAt: number;
  expiresAt: number;
  /**
   * The challenge's attempt count as last seen (0 at issue; raised by wrong codes). A resend is written
   * on condition that it still holds, so the common resend needs no read of the challenge.
   */
  attempts?: number;
  maxAttempts?: number;
}

/** The pointer a new challenge leaves for its target: sent now, no attempt yet. */
export function newPointer(
  challenge: { id: string; phone: string; expiresAt: number; maxAttempts: number; attempts?: number },
  now: number,
): SendPointer {
  return {
    challengeId: challenge.id,
    phone: challenge.phone,
    lastSentAt: now,
    expiresAt: challenge.expiresAt,
    // Failed attempts carried over from a canceled challenge count from the start.
    attempts: challenge.attempts ?? 0,
    maxAttempts: challenge.maxAttempts,
  };
}

export interface FactorRecord {
  storeId: string;
  userId: string;
  /** Absent (`none`) until enrollment starts, and again after DELETE. */
  status: 'pending' | 'active' | 'none';
  /** The verified number of an active factor. */
  phone: string | null;
  /**
   * The countries of `phone` and `pendingPhone` as their enrollment's send parsed them (the challenge's
   * `country`), so that factor events name them without parsing. Absent when the number maps to no one
   * country, and on factors enrolled before they were stored.
   */
  phoneCountry?: string | undefined;
  pendingCountry?: string | undefined;
  /** The number being enrolled (first enrollment, or the replacement of an active factor's number). */
  pendingPhone: string | null;
  pendingChallengeId: string | null;
  /** Remembered across DELETE so a re-enrollment may omit the number. */
  lastVerifiedPhone: string | null;
  verifiedAt: string | null;
  lastUsedAt: string | null;
  /** Consecutive failed attempts across the user's challenges. */
  failureCount: number;
  lockedUntil: number | null;
  /** Epoch ms of the last support desk reset (the `mfa` answer shows it for a while). */
  resetAt: number | null;
  pointers: Partial<Record<Exclude<ChallengePurpose, 'verify-phone'>, SendPointer>>;
}

/** Where the send pointer of a challenge lives: on the user's factor, or on a per-phone item. */
export type PointerTarget =
  | { kind: 'user'; storeId: string; userId: string; purpose: Exclude<ChallengePurpose, 'verify-phone'> }
  /** `phoneKey`: the number as table keys hold it (an HMAC of it, see `phoneKey`). */
  | { kind: 'phone'; storeId: string; phoneKey: string };

/** The number a factor's events name (the active one, else the one being enrolled) and its country. */
export function factorNumber(factor: FactorRecord): { phone?: string; country?: string } {
  const [phone, country] = factor.phone
    ? [factor.phone, factor.phoneCountry]
    : [factor.pendingPhone, factor.pendingCountry];
  return { ...(phone ? { phone } : {}), ...(phone && country ? { country } : {}) };
}

export const FACTOR_LOCK_AFTER_FAILURES = 10;
export const FACTOR_LOCK_MS = 15 * 60_000;

export function emptyFactor(storeId: string, userId: string): FactorRecord {
  return {
    storeId,
    userId,
    status: 'none',
    phone: null,
    pendingPhone: null,
    pendingChallengeId: null,
    lastVerifiedPhone: null,
    verifiedAt: null,
    lastUsedAt: null,
    failureCount: 0,
    lockedUntil: null,
    resetAt: null,
    pointers: {},
  };
}
