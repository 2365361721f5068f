/**
 * The usage ledger's counters (api.md "Prices, receipts from every provider, usage", "Usage grouping"):
 * one set per (store, UTC day, country, gateway), every amount an integer (money in millionths of the
 * store's currency), so sums are exact in any order.
 */
export const USAGE_FIELDS = [
  'sends',
  'accepted',
  'delivered',
  'failed',
  'challenges',
  'approved',
  'estimatedCost',
  'reportedCost',
  'sms',
  'voice',
] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];
export type UsageCounts = Record<UsageField, number>;

/** Where a count belongs: its send's UTC day (`YYYY-MM-DD`), the number's country and the gateway. */
export interface UsageGroup {
  day: string;
  /** ISO 3166 alpha-2, or `unknown` for a number without one. */
  country: string;
  gatewayId: string;
}

/**
 * Each group's counters are spread over this many items, chosen at random per write and summed on
 * read, so that no item takes every send of a busy store (api.md: at most 16 per store, day and group).
 */
export const USAGE_SHARDS = 16;

export const UNKNOWN_COUNTRY = 'unknown';

export const emptyCounts = (): UsageCounts =>
  Object.fromEntries(USAGE_FIELDS.map((field) => [field, 0])) as UsageCounts;

export function addCounts(into: UsageCounts, delta: Partial<UsageCounts>): UsageCounts {
  for (const field of USAGE_FIELDS) into[field] += delta[field] ?? 0;
  return into;
}

/** Only the fields that change: what an increment writes. */
export function nonZero(delta: Partial<UsageCounts>): Partial<UsageCounts> {
  return Object.fromEntries(Object.entries(delta).filter(([, value]) => value !== 0));
}

export const utcDay = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** One stored counter item: a group's share on one shard. */
export interface UsageRow {
  group: UsageGroup;
  counts: Partial<UsageCounts>;
}

export const groupKey = (group: UsageGroup): string => `${group.day}#${group.country}#${group.gatewayId}`;

/** The shards of each group summed: what the report is built from. */
export function sumShards(rows: readonly UsageRow[]): Array<{ group: UsageGroup; counts: UsageCounts }> {
  const groups = new Map<string, { group: UsageGroup; counts: UsageCounts }>();
  for (const row of rows) {
    const key = groupKey(row.group);
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { group: row.group, counts: emptyCounts() }));
    addCounts(entry.counts, row.counts);
  }
  return [...groups.values()];
}
