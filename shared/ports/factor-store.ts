import type { FactorRecord, PointerTarget, SendPointer } from '../domain/factors/factor.ts';

/** Factor items (with the user's send pointers) and the per-phone pointers of verify-phone. */
export interface FactorStore {
  get(storeId: string, userId: string): Promise<FactorRecord | undefined>;
  phonePointer(storeId: string, phoneKey: string): Promise<SendPointer | undefined>;
  /** Keeps the pointer's attempt count in step after a wrong code (only ever raises it). */
  notePointerAttempts(target: PointerTarget, challengeId: string, attempts: number): Promise<void>;
  /** After a failed send: the user may ask again at once (the pointer's last send is forgotten). */
  releasePointer(target: PointerTarget, challengeId: string): Promise<void>;
  /** Adds one failure to the user's streak; the factor as it is after (undefined: no factor). */
  addFailure(storeId: string, userId: string): Promise<FactorRecord | undefined>;
  /** Locks the factor if its streak is still at least `threshold`; false when another request did. */
  lock(storeId: string, userId: string, until: number, threshold: number): Promise<boolean>;
  /** Resets the failure streak, stamps lastUsedAt and drops the (approved) authenticate pointer. */
  recordSuccess(storeId: string, userId: string, now: number): Promise<void>;
  /**
   * Makes the pending number the factor's number, on condition that `challengeId` is still the pending
   * enrollment. The factor as it was before, or undefined when the enrollment was cancelled or replaced.
   */
  activate(
    storeId: string,
    userId: string,
    challengeId: string,
    now: number,
  ): Promise<FactorRecord | undefined>;
  /** Back to `none`, remembering the last verified number. The factor as it was, or undefined if none. */
  remove(storeId: string, userId: string): Promise<FactorRecord | undefined>;
}
