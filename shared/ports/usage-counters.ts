import type { UsageCounts, UsageGroup, UsageRow } from '../domain/usage/usage-counts.ts';

/**
 * The usage ledger's pre-aggregated counters (sharded; usage-counts.ts). Written by the usage projection
 * (deployed: the table's stream consumer; locally: in-process, beside each answer), read by the usage
 * route, which never reads the raw sends.
 */
export interface UsageCounters {
  /** Adds `delta` to the group's counters on one shard (0 ≤ shard < USAGE_SHARDS). */
  add(storeId: string, group: UsageGroup, delta: Partial<UsageCounts>, shard: number): Promise<void>;
  /**
   * Claims the challenge's first accepted message for `group`: true for the first claim only, so a
   * challenge counts once, where its first accepted message does (api.md "Usage grouping").
   */
  claimChallenge(storeId: string, challengeId: string, group: UsageGroup, now: number): Promise<boolean>;
  /** Where the challenge was counted; undefined when no message of it was ever accepted. */
  challengeGroup(storeId: string, challengeId: string): Promise<UsageGroup | undefined>;
  /** Every shard's row of the store's days `from`..`to` (inclusive, `YYYY-MM-DD`). */
  read(storeId: string, from: string, to: string): Promise<UsageRow[]>;
}
