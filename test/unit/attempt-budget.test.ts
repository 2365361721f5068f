import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import { CodeIssuer } from '../../shared/domain/challenges/issue-code.ts';
import { keyedPhone } from '../../shared/domain/codes/pepper.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import {
  DEFAULT_FRAUD_GUARD,
  DEFAULT_SPEND_LIMITS,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import { SmsDelivery } from '../../shared/domain/sending/sms-delivery.ts';
import { SendFailure, type SmsSender } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import type { EventData, EventPort } from '../../shared/ports/events.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { gatewayRecord } from '../support/gateway-record.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/**
 * api.md "Prices and currencies" and the sending guarantees: each provider attempt (the first, a
 * send-time failover, a reroute) is charged against the budgets at its own gateway's price before its
 * request; a refused attempt is refunded exactly, an unknown outcome never. In-memory ports, a real
 * SmsDelivery over scripted providers, an injected clock.
 */
const T0 = Date.UTC(2026, 11, 1, 9);
const PHONE = '+447400123456';
type Outcome = 'accepted' | 'refused' | 'unknown';

/** A store of gateways gw_1..gw_n (in that order) priced per segment as given, with a daily budget. */
function setUp(prices: number[], options: { dailyBudget?: number; unavailable?: string[] } = {}) {
  const ids = prices.map((_, i) => `gw_${i + 1}`);
  const ports = new MemoryChallengePorts();
  const clock = new ManualClock(T0);
  const script = new Map<string, Outcome[]>(ids.map((id) => [id, []]));
  const requests: string[] = [];
  const events: { type: string; data: EventData }[] = [];
  const metrics: { metric: string; value: number }[] = [];
  const sender: SmsSender = {
    send: async (gateway) => {
      requests.push(gateway.id);
      const outcome = script.get(gateway.id)!.shift() ?? 'accepted';
      if (outcome === 'refused') throw new SendFailure('rejected', 'rejected', 'refused');
      if (outcome === 'unknown') throw new SendFailure('unavailable', 'HTTP 500', 'unknown');
      return { providerMessageId: `m-${gateway.id}-${requests.length}` };
    },
  };
  const record = (id: string) =>
    gatewayRecord({ id, name: id, type: 'twilio', pricePerSegment: { default: prices[ids.indexOf(id)]! } });
  const delivery = new SmsDelivery(
    {
      connection: async (id) =>
        script.has(id) && !options.unavailable?.includes(id)
          ? { gateway: record(id), credentials: {} }
          : undefined,
      gateway: async (id) => (script.has(id) ? record(id) : undefined),
    },
    { forType: () => sender },
    noTelemetry,
    5000,
  );
  const store: IdentityStore = storeFixture({
    smsAuth: { gatewayId: ids[0]!, fallbackGatewayIds: ids.slice(1) },
    // The guard's velocity limits are beside the point here; budgets hold in every mode.
    fraudGuard: { ...DEFAULT_FRAUD_GUARD, mode: 'off' },
    spendLimits: {
      ...DEFAULT_SPEND_LIMITS,
      pricePerSegment: { default: 0.01 },
      dailyBudget: options.dailyBudget ?? 1000,
    },
  });
  const eventPort: EventPort = { emit: (type, data) => void events.push({ type, data }) };
  let seq = 0;
  const deps = {
    ...ports.serviceStorage(() => store),
    delivery,
    notifier: { notify: async () => undefined },
    pepper: fixedPepper(Buffer.from('pepper')),
    clock,
    random: { bytes: (n: number) => Buffer.alloc(n, seq++ % 256), int: (max: number) => seq++ % max },
    telemetry: {
      ...noTelemetry,
      count: (metric: string, _dimensions?: Record<string, string>, value = 1) =>
        void metrics.push({ metric, value }),
    },
    events: eventPort,
  };
  const service = new ChallengeService(deps);
  /** What the store's daily budget holds, over all its shards, in millionths. */
  const spend = () =>
    [...ports.counterItems.entries()]
      .filter(([key]) => key.includes('|storeSpendPerDay|'))
      .reduce((sum, [, n]) => sum + n, 0);
  const send = (...outcomes: Outcome[]) => {
    outcomes.forEach((outcome, i) => script.get(ids[i]!)!.push(outcome));
    return service.verifyPhone(store.id, PHONE).then(
      () => 'sent',
      (e: { slug?: string }) => e.slug ?? String(e),
    );
  };
  /** What the EstimatedSpend metric reported, in millionths. */
  const estimated = () =>
    metrics
      .filter((m) => m.metric === 'EstimatedSpend')
      .reduce((sum, m) => sum + Math.round(m.value * 1_000_000), 0);
  return { ports, store, deps, send, spend, estimated, requests, events, clock, script };
}

const millionths = (price: number) => Math.round(price * 1_000_000);

describe('each attempt is charged at its own gateway price', () => {
  it('a failover after an unknown outcome charges both gateways, each at its own price', async () => {
    const t = setUp([0.03, 0.05]);
    expect(await t.send('unknown', 'accepted')).toBe('sent');
    expect(t.requests).toEqual(['gw_1', 'gw_2']);
    expect(t.spend()).toBe(millionths(0.03) + millionths(0.05));
  });

  it('a refused first attempt is refunded exactly: only the fallback that took it is charged', async () => {
    const t = setUp([0.03, 0.05]);
    expect(await t.send('refused', 'accepted')).toBe('sent');
    expect(t.requests).toEqual(['gw_1', 'gw_2']);
    expect(t.spend()).toBe(millionths(0.05));
  });

  it('a refused failover is refunded; the unknown first attempt keeps its charge', async () => {
    const t = setUp([0.03, 0.05, 0.07]);
    expect(await t.send('unknown', 'refused', 'accepted')).toBe('sent');
    expect(t.requests).toEqual(['gw_1', 'gw_2', 'gw_3']);
    expect(t.spend()).toBe(millionths(0.03) + millionths(0.07));
    // The spend metric follows the budget.
    expect(t.estimated()).toBe(t.spend());
  });

  it('an unknown outcome everywhere refunds nothing, though the send failed', async () => {
    const t = setUp([0.03, 0.05]);
    expect(await t.send('unknown', 'unknown')).toBe('gateway-error');
    expect(t.spend()).toBe(millionths(0.03) + millionths(0.05));
    expect(t.estimated()).toBe(t.spend());
  });

  it('a budget the second attempt would exceed stops it: no request, send-blocked, the first charge stays', async () => {
    // 0.03 fits the 0.06 budget; 0.03 + 0.05 does not.
    const t = setUp([0.03, 0.05], { dailyBudget: 0.06 });
    expect(await t.send('unknown', 'accepted')).toBe('send-blocked');
    expect(t.requests).toEqual(['gw_1']);
    expect(t.spend()).toBe(millionths(0.03));
    expect(t.events.filter((e) => e.type === 'send.blocked').map((e) => e.data.reason)).toEqual([
      'store-budget',
    ]);
    // Nothing of the refused attempt stays on the number's limits either: one request, one count.
    const perPhone = [...t.ports.counterItems.entries()].filter(([k]) => k.includes('|perPhonePerDay|'));
    expect(perPhone.map(([, n]) => n)).toEqual([1]);
  });

  it("a first attempt through another gateway than the plan's head pays that gateway's price", async () => {
    // The plan prices the first attempt at gw_1; its connection cannot be read, so gw_2 carries it.
    const t = setUp([0.03, 0.05], { unavailable: ['gw_1'] });
    expect(await t.send('accepted', 'accepted')).toBe('sent');
    expect(t.requests).toEqual(['gw_2']);
    expect(t.spend()).toBe(millionths(0.05));
  });

  it('a carried charge that no longer fits the budget stops the send before any request', async () => {
    const t = setUp([0.03, 0.05], { unavailable: ['gw_1'], dailyBudget: 0.04 });
    expect(await t.send('accepted', 'accepted')).toBe('send-blocked');
    expect(t.requests).toEqual([]);
    expect(t.spend()).toBe(0);
    const perPhone = [...t.ports.counterItems.entries()].filter(([k]) => k.includes('|perPhonePerDay|'));
    expect(perPhone.map(([, n]) => n)).toEqual([0]);
  });

  it('a reroute is charged at the price of the gateway it goes through, not the head of the order', async () => {
    const t = setUp([0.03, 0.05]);
    expect(await t.send('accepted')).toBe('sent');
    expect(t.spend()).toBe(millionths(0.03));
    t.clock.advance(60_000);
    const phone = parsePhone(PHONE)!;
    const phoneKey = await keyedPhone(t.deps.pepper, PHONE);
    const pointer = t.ports.phonePointers.get(`${t.store.id}#${phoneKey}`)!;
    const issuer = new CodeIssuer(t.deps);
    const accepted: string[] = [];
    const outcome = await issuer.issue({
      facts: {
        store: t.store,
        phone,
        purpose: 'verify-phone',
        origin: { clientIp: null, applicationId: null, source: null },
        pointer,
        factor: undefined,
      },
      phoneKey,
      userId: null,
      target: { kind: 'phone', storeId: t.store.id, phoneKey },
      expectation: { kind: 'none' },
      approval: null,
      newChallengeAllowed: false,
      reroute: { order: ['gw_2'], accepted: (report) => void accepted.push(report.gatewayId) },
    });
    expect(outcome.kind).toBe('sent');
    expect(accepted).toEqual(['gw_2']);
    expect(t.spend()).toBe(millionths(0.03) + millionths(0.05));
  });
});

describe('the charged total over any sequence of attempt outcomes', () => {
  it('equals the sum of the prices of the attempts the providers did not refuse', async () => {
    const attempt = fc.record({
      outcome: fc.constantFrom<Outcome>('accepted', 'refused', 'unknown'),
      // Whole millionths up to 1.0 per segment.
      price: fc.integer({ min: 1, max: 1_000_000 }).map((n) => n / 1_000_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 5 }), async (attempts) => {
        const t = setUp(attempts.map((a) => a.price));
        await t.send(...attempts.map((a) => a.outcome));
        // Delivery stops at the first gateway that accepts: later ones see no request.
        const made = attempts.slice(0, t.requests.length);
        const expected = made
          .filter((a) => a.outcome !== 'refused')
          .reduce((sum, a) => sum + millionths(a.price), 0);
        expect(t.requests).toEqual(made.map((_, i) => `gw_${i + 1}`));
        expect(t.spend()).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
