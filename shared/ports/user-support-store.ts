import type { ChallengeRecord } from '../domain/challenges/challenge.ts';
import type { FactorRecord } from '../domain/factors/factor.ts';
import type { AuditRecord } from '../domain/support/audit-record.ts';

/** The support desk's reads and its admin writes on a user (api.md "Support desk"). */
export interface UserSupportStore {
  /** The user's challenges still kept, newest first, at most `limit` (an index query, never a scan). */
  recentChallenges(storeId: string, userId: string, limit: number): Promise<ChallengeRecord[]>;
  /**
   * Removes the factor and the remembered number, clears the lock and the failure streak and marks the
   * reset, with the audit record, in one transaction; on condition that the factor's number and send
   * pointers are still those of `seen` (so every challenge it names is the one to close). False otherwise.
   */
  reset(seen: FactorRecord, now: number, audit: AuditRecord): Promise<boolean>;
  /**
   * Ends the lock and resets the failure streak of a factor that exists (pending or active), with the
   * audit record, in one transaction. False when there is no such factor.
   */
  unlock(storeId: string, userId: string, audit: AuditRecord): Promise<boolean>;
}
