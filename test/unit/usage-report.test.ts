import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCounts,
  emptyCounts,
  groupKey,
  sumShards,
  USAGE_FIELDS,
  USAGE_SHARDS,
  type UsageCounts,
  type UsageGroup,
  type UsageRow,
} from '../../shared/domain/usage/usage-counts.ts';
import { halfUpDivide, UsageReports, usageLine, usageRange } from '../../shared/domain/usage/usage-report.ts';
import { ValidationFailed } from '../../shared/domain/errors.ts';
import { fuzzParameters } from '../support/fuzz-settings.ts';
import { ManualClock } from '../support/manual-clock.ts';

const NOW = Date.parse('2026-12-06T15:00:00Z');

/** Counters kept as a table would: one row per (group, shard), increments added in place. */
class ShardedMemory {
  readonly rows = new Map<string, UsageRow>();
  add(group: UsageGroup, delta: Partial<UsageCounts>, shard: number) {
    const key = `${groupKey(group)}#${shard}`;
    const row = this.rows.get(key) ?? { group, counts: {} };
    for (const field of USAGE_FIELDS) row.counts[field] = (row.counts[field] ?? 0) + (delta[field] ?? 0);
    this.rows.set(key, row);
  }
}

const group = fc.record({
  day: fc.constantFrom('2026-12-04', '2026-12-05', '2026-12-06'),
  country: fc.constantFrom('DE', 'GB', 'unknown'),
  gatewayId: fc.constantFrom('gw_a', 'gw_b'),
});
const delta = fc.record(
  Object.fromEntries(USAGE_FIELDS.map((f) => [f, fc.nat({ max: 5_000_000 })])) as Record<
    keyof UsageCounts,
    fc.Arbitrary<number>
  >,
);
const increment = fc.record({ group, delta, shard: fc.nat({ max: USAGE_SHARDS - 1 }) });

describe('usage counters: shard sums', () => {
  it('whatever the shards the increments land on, the read sums equal the sums of the increments', () => {
    fc.assert(
      fc.asyncProperty(
        fc.array(increment, { maxLength: 200 }),
        fc.constantFrom('day', 'country', 'gateway'),
        async (increments, groupBy) => {
          const memory = new ShardedMemory();
          const expected = new Map<string, UsageCounts>();
          const total = emptyCounts();
          for (const { group: g, delta: d, shard } of increments) {
            memory.add(g, d, shard);
            const key = groupBy === 'day' ? g.day : groupBy === 'country' ? g.country : g.gatewayId;
            expected.set(key, addCounts(expected.get(key) ?? emptyCounts(), d));
            addCounts(total, d);
          }
          // The storage groups: every group once, whatever the number of its shards.
          expect(sumShards([...memory.rows.values()])).toHaveLength(
            new Set(increments.map((i) => groupKey(i.group))).size,
          );
          const reports = new UsageReports({
            counters: { read: async () => [...memory.rows.values()] },
            stores: { get: async () => ({ spendLimits: { currency: 'USD' } }) },
            clock: new ManualClock(NOW),
          });
          const report = await reports.report('ids_1', { from: '2026-12-04', to: '2026-12-06', groupBy });
          expect(report.totals).toEqual(usageLine(total));
          expect(Object.fromEntries(report.items.map(({ key, ...line }) => [key, line]))).toEqual(
            Object.fromEntries([...expected].map(([key, counts]) => [key, usageLine(counts)])),
          );
        },
      ),
      fuzzParameters(100, 20_000),
    );
  });
});

describe('usage lines: exact decimals', () => {
  const counts = (over: Partial<UsageCounts>) => addCounts(emptyCounts(), over);

  it.each([
    { challenges: 3, approved: 2, rate: 0.666667 },
    { challenges: 3, approved: 1, rate: 0.333333 },
    { challenges: 8, approved: 1, rate: 0.125 },
    // 1/2_000_000 is exactly half a millionth: half-up.
    { challenges: 2_000_000, approved: 1, rate: 0.000001 },
    { challenges: 0, approved: 0, rate: null },
  ])('conversion $approved / $challenges is $rate', ({ challenges, approved, rate }) => {
    expect(usageLine(counts({ challenges, approved })).conversionRate).toBe(rate);
  });

  it('costs in millionths; cost per approval in whole millionths, null without an approval', () => {
    const line = usageLine(counts({ estimatedCost: 100_000, reportedCost: 12_345, approved: 3 }));
    expect(line).toMatchObject({ estimatedCost: 0.1, reportedCost: 0.012345, costPerApproval: 0.033333 });
    expect(usageLine(counts({ estimatedCost: 5, approved: 2 })).costPerApproval).toBe(0.000003);
    expect(usageLine(counts({ estimatedCost: 100_000 })).costPerApproval).toBeNull();
    expect(halfUpDivide(5, 2)).toBe(3);
    expect(halfUpDivide(4, 3)).toBe(1);
  });
});

describe('usage range', () => {
  const refused = (query: Parameters<typeof usageRange>[0]) => {
    try {
      usageRange(query, NOW);
    } catch (error) {
      return error instanceof ValidationFailed
        ? (error.extensions.errors as Array<{ path: string }>).map((e) => e.path)
        : ['?'];
    }
    return [];
  };

  it('defaults to today and the 6 days before; `to` alone ends a 7-day range', () => {
    expect(usageRange({}, NOW)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(usageRange({ to: '2026-03-01' }, NOW)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(usageRange({ from: '2026-12-01' }, NOW)).toEqual({ from: '2026-12-01', to: '2026-12-06' });
  });

  it('92 days counting both ends, from not after to, real calendar days', () => {
    expect(refused({ from: '2026-01-01', to: '2026-04-02' })).toEqual([]);
    expect(refused({ from: '2026-01-01', to: '2026-04-03' })).toEqual(['to']);
    expect(refused({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['from']);
    expect(refused({ from: '2026-05-01', to: '2026-05-01' })).toEqual([]);
    expect(refused({ from: '2026-02-29' })).toEqual(['from']);
    expect(refused({ to: '2026-1-01' })).toEqual(['to']);
  });
});
