import type { ChallengeRecord } from '../domain/challenges/challenge.ts';

export type AttemptResult =
  { kind: 'counted'; after: ChallengeRecord } | { kind: 'refused'; before: ChallengeRecord | undefined };

/** Challenge items. The verify path is one conditional update (`attempt`). */
export interface ChallengeStore {
  get(id: string): Promise<ChallengeRecord | undefined>;
  /**
   * Counts the attempt and records the first presentation of each of `hashes` (the code under each live
   * pepper version) in the storage's own order, in one
   * conditional update that refuses a challenge that is not live (see `isLive`) or of another store.
   */
  attempt(id: string, storeId: string, hashes: readonly string[], now: number): Promise<AttemptResult>;
  /**
   * Ends challenges: their codes answer `challenge-expired` from now on. Unknown and already expired ids
   * are ignored. Returns the challenges it closed, as they were before (each one once, whoever asks).
   */
  close(ids: readonly string[], now: number): Promise<ChallengeRecord[]>;
  /**
   * Cancels an open challenge on condition that its attempt count is still `expectedAttempts` (nothing
   * was counted since it was read): it ends as a close does, marked canceled. False when the condition failed.
   */
  cancel(id: string, expectedAttempts: number, now: number): Promise<boolean>;
  /** Removes a code that was never delivered; `kill` also ends the challenge (no code of it may verify). */
  withdrawCode(id: string, hash: string, options: { kill: boolean; now: number }): Promise<void>;
  /**
   * A locked factor's unexpired challenges refuse attempts until then. Returns the challenges it locked,
   * as they were before.
   */
  lockUntil(ids: readonly string[], until: number, now: number): Promise<ChallengeRecord[]>;
  /**
   * Marks an expired challenge's expiry as reported: true for the one caller whose conditional write
   * set the mark (expired, not closed, attempts left, not marked yet), false for every other.
   */
  markExpiryReported(id: string, now: number): Promise<boolean>;
  /**
   * Marks an approved challenge's unverified sends as taken off, once: true for the one call that set the
   * mark, false when it was already set (a redelivered approval) or the challenge is gone.
   */
  markUncounted(id: string, now: number): Promise<boolean>;
}
