import { describe, expect, it } from 'vitest';
import { evaluateFraudGuard, planFraudGuard } from '../../shared/domain/fraud/fraud-guard.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';
import { clientIpKey } from '../../shared/domain/fraud/client-ip.ts';
import { shardCount } from '../../shared/domain/fraud/fraud-windows.ts';
import { numberPrefix } from '../../shared/domain/fraud/number-prefix.ts';
import { countryBudget, estimatedCost, toMillionths } from '../../shared/domain/fraud/spend.ts';
import { DEFAULT_SPEND_LIMITS } from '../../shared/domain/identity-stores/identity-store.ts';

describe('numberPrefix', () => {
  it('takes the first digits without +, never more than the length minus 4', () => {
    expect(numberPrefix('+447400123456', 7)).toBe('4474001');
    expect(numberPrefix('+447400123456', 12)).toBe('44740012');
    expect(numberPrefix('+3312345678', 9)).toBe('331234');
  });
});

describe('clientIpKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:DB8:0:0:1::1', '2001:db8::'],
    ['2001:0db8:0001:0002:ffff::9', '2001:db8:1:2::'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::'],
    ['::1', '::'],
  ])('%s counts as %s', (input, key) => expect(clientIpKey(input)).toBe(key));

  it.each(['203.0.113.300', '1', '0x7f.1', 'nope', '', '2001:db8::1::2'])('%s is no address', (input) =>
    expect(clientIpKey(input)).toBeNull(),
  );
});

describe('spend', () => {
  it('sums in integer millionths: 0.15 is exactly three sends at 0.05', () => {
    const cost = estimatedCost(DEFAULT_SPEND_LIMITS, 'GB', 1);
    expect(cost).toBe(50_000);
    expect(toMillionths(0.15)).toBe(3 * cost);
    expect(toMillionths(0.1 + 0.2)).toBe(300_000);
  });

  it("uses the country's price, else default; segments multiply", () => {
    const limits = { ...DEFAULT_SPEND_LIMITS, pricePerSegment: { default: 0.05, FR: 0.0725 } };
    expect(estimatedCost(limits, 'FR', 2)).toBe(145_000);
    expect(estimatedCost(limits, 'DE', 3)).toBe(150_000);
    expect(estimatedCost(limits, undefined, 1)).toBe(50_000);
  });

  it("a country's budget is its own entry, else default, else none", () => {
    const limits = { ...DEFAULT_SPEND_LIMITS, countryDailyBudget: { default: 2, GB: 0.15 } };
    expect(countryBudget(limits, 'GB')).toBe(150_000);
    expect(countryBudget(limits, 'FR')).toBe(2_000_000);
    expect(countryBudget(DEFAULT_SPEND_LIMITS, 'GB')).toBeNull();
  });
});

describe('shardCount', () => {
  it('keeps small limits exact and spreads big ones over at most 16 items', () => {
    expect(shardCount(3)).toBe(1);
    expect(shardCount(199)).toBe(1);
    expect(shardCount(500)).toBe(5);
    expect(shardCount(10_000_000)).toBe(16);
  });
});

describe('BudgetUsedPercent', () => {
  it('reports how full each budget is after a send, from the counter itself; a refused send reports nothing', async () => {
    const ports = new MemoryChallengePorts();
    const levels: [number, Record<string, string> | undefined][] = [];
    const telemetry = {
      ...noTelemetry,
      percent: (_m: string, v: number, d?: Record<string, string>) => void levels.push([v, d]),
    };
    const store = storeFixture({
      spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 0.25, countryDailyBudget: { GB: 0.1 } },
    });
    const phone = parsePhone('+447400123456')!;
    const context = { clientIp: null, applicationId: null, segments: 1, exempt: false };
    const send = async () => {
      const plan = planFraudGuard(store, phone, context, Date.UTC(2026, 11, 1, 9), {
        bytes: (n) => Buffer.alloc(n),
        int: () => 0,
      });
      return evaluateFraudGuard({ counters: ports.counters, telemetry }, store, phone, 'k', plan);
    };
    expect((await send()).blocked).toBeNull();
    expect((await send()).blocked).toBeNull();
    expect(levels).toEqual([
      [20, { budget: 'store', country: 'GB' }],
      [50, { budget: 'country', country: 'GB' }],
      [40, { budget: 'store', country: 'GB' }],
      [100, { budget: 'country', country: 'GB' }],
    ]);
    expect((await send()).blocked?.reason).toBe('country-budget');
    expect(levels).toHaveLength(4);
  });
});
