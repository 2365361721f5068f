import type { ChallengeRecord } from '../domain/challenges/challenge.ts';
import type { FactorRecord, PointerTarget, SendPointer } from '../domain/factors/factor.ts';
import type { CounterWindow } from '../domain/sending/send-windows.ts';

/** What the send's write requires of the user's factor, checked in the same transaction. */
export type FactorExpectation =
  | { kind: 'not-active' }
  | { kind: 'active'; phone: string }
  /** verify-phone: no factor is involved. */
  | { kind: 'none' };

/** An approved `authenticate` challenge consumed by this send (a number replacement). */
export interface ApprovalUse {
  challengeId: string;
  storeId: string;
  userId: string;
  /** The number the approval's code went to: the factor's current number. */
  phone: string;
}

export interface NewChallenge {
  challenge: ChallengeRecord;
  /** The challenge's number as table keys hold it. */
  phoneKey: string;
  /** Per-phone windows, counted in the same transaction (exact). */
  windows: readonly CounterWindow[];
  pointer: PointerTarget;
  /** The challenge the pointer held when it was read (null: none), so a concurrent issue is detected. */
  expectedPointer: string | null;
  resendIntervalMs: number;
  factor: FactorExpectation;
  /** Enrollment: the factor's pending number and challenge are set in the same transaction. */
  pendingEnrollment: boolean;
  approval?: ApprovalUse;
  now: number;
}

export interface Resend {
  challengeId: string;
  /** The number the challenge's codes go to, as table keys hold it (the per-phone counters' key). */
  phoneKey: string;
  /** The attempt count the pointer recorded; the write is refused if it moved. */
  expectedAttempts: number;
  hash: string;
  codeExpiry: number;
  windows: readonly CounterWindow[];
  pointer: PointerTarget;
  resendIntervalMs: number;
  /** The fraud guard's unverified windows of this send, appended to the challenge's (taken off on approval). */
  unverified?: readonly CounterWindow[];
  now: number;
}

/** Which named part of the transaction refused it, with the item as it was where that helps. */
export type IssueRefusal =
  | { part: 'window'; window: CounterWindow }
  | { part: 'challenge'; challenge: ChallengeRecord | undefined }
  | { part: 'pointer'; factor?: FactorRecord; pointer?: SendPointer }
  | { part: 'approval' };

/** The send's writes: counters, challenge, pointer (and factor, approval) in one transaction each. */
export interface IssueLedger {
  start(input: NewChallenge): Promise<IssueRefusal | null>;
  resend(input: Resend): Promise<IssueRefusal | null>;
}
