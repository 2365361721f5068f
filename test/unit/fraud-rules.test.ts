import { describe, expect, it } from 'vitest';
import { evaluateFraudGuard } from '../../shared/domain/fraud/fraud-guard.ts';
import { NO_ORIGIN, planSend } from '../../shared/domain/sending/send-plan.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';
import { clientIpKey } from '../../shared/domain/fraud/client-ip.ts';
import { toMillionths } from '../../shared/domain/fraud/spend.ts';
import { DEFAULT_SPEND_LIMITS } from '../../shared/domain/identity-stores/identity-store.ts';

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
    expect(toMillionths(0.05)).toBe(50_000);
    expect(toMillionths(0.15)).toBe(3 * toMillionths(0.05));
    expect(toMillionths(0.1 + 0.2)).toBe(300_000);
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
    const send = async () => {
      const plan = planSend({
        store,
        phone,
        purpose: 'verify-phone',
        origin: NO_ORIGIN,
        pointer: undefined,
        factor: undefined,
        now: Date.UTC(2026, 11, 1, 9),
        shardSeed: 0,
      });
      return evaluateFraudGuard({ counters: ports.counters, telemetry }, store, phone, 'k', plan.fraud);
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
