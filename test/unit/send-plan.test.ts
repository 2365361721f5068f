import { describe, expect, it } from 'vitest';
import { COGNITO_PROVIDER_BUDGET_MS } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { PhoneNotAllowed } from '../../shared/domain/errors.ts';
import type { SendPointer } from '../../shared/domain/factors/factor.ts';
import {
  DEFAULT_FRAUD_GUARD,
  DEFAULT_SPEND_LIMITS,
} from '../../shared/domain/identity-stores/identity-store.ts';
import { parsePhone, type PhoneNumber } from '../../shared/domain/phone.ts';
import { OKTA_PROVIDER_BUDGET_MS, PROVIDER_BUDGET_MS } from '../../shared/domain/sending/deadline.ts';
import { storeTestPhone } from '../../shared/domain/sending/number-class.ts';
import {
  attemptCounts,
  messageBody,
  NO_ORIGIN,
  planSend,
  SHARD_SEED_RANGE,
  shardCount,
  type SendFacts,
  type SendPlan,
} from '../../shared/domain/sending/send-plan.ts';
import { storeFixture, type StoreOverrides } from '../support/store-fixture.ts';
import { voiceWithDefaults } from '../../shared/domain/voice/voice-settings.ts';
import * as fc from 'fast-check';
import { seededRandom } from '../../shared/ports/random.ts';
import type { GatewayCountryStats } from '../../shared/ports/delivery-stats.ts';
import type { GatewayHealth } from '../../shared/ports/gateway-health.ts';
import {
  attemptRoute,
  NO_ROUTING_FACTS,
  routeSend,
  type Route,
  type RoutingFacts,
} from '../../shared/domain/sending/route-choice.ts';
import {
  DEFAULT_ROUTING,
  type RoutingSettings,
} from '../../shared/domain/identity-stores/routing-settings.ts';

/**
 * Every send rule, one row each: the facts of a send (number class, purpose, origin, store settings) and
 * the decisions its plan must hold. The use-case tests (challenge-use-cases, relay-code) test that the
 * plan is executed; this file tests what the plan says.
 */
const NOW = Date.UTC(2026, 11, 2, 10, 3, 20);
const HOUR = Math.floor(NOW / 3_600_000);
const DAY = Math.floor(NOW / 86_400_000);
const TEN_MINUTES = Math.floor(NOW / 600_000);
const END_OF_DAY = Date.UTC(2026, 11, 3);

const ORDINARY = '+447400123456';
const TRUSTED = '+447400999999';
const TEST = '+447700900001';
const FRENCH = '+33612345678';

const NUMBER_LISTS: StoreOverrides = {
  testNumbers: [{ phoneNumber: TEST, codeLength: 6, codeDigest: 'digest-of-fixed-code' }],
  trustedNumbers: [TRUSTED],
};

function phoneOf(e164: string): PhoneNumber {
  return storeTestPhone(NUMBER_LISTS, e164) ?? parsePhone(e164)!;
}

interface Row {
  rule: string;
  number?: string;
  facts?: Partial<Omit<SendFacts, 'store' | 'phone'>>;
  store?: StoreOverrides;
  expected: Partial<Decisions>;
}

/** The plan as a row reads it: limit names and subjects instead of whole windows. */
interface Decisions {
  numberClass: SendPlan['numberClass'];
  code: SendPlan['code'];
  delivers: boolean;
  /** Per-number windows inside the transaction, then the store's day (`perStorePerDay/<shards>`). */
  counts: string[];
  /** Fraud-guard and spend windows: `limit:subject`, `/shards` when sharded, `=amount` for spend. */
  fraud: string[];
  unverified: string[];
  cost: number;
  gateways: string[];
  route: Route;
  deadlineMs: number;
  resend: string | null;
  supersedes: string | null;
  message: SendPlan['message'];
}

function decisions(plan: SendPlan): Decisions {
  return {
    numberClass: plan.numberClass,
    code: plan.code,
    delivers: plan.treatment.delivers,
    counts: [
      ...plan.windows.map((w) => `${w.limit}<=${w.max}`),
      ...(plan.storeDay ? [`perStorePerDay/${plan.storeDay.shards}<=${plan.storeDay.window.max}`] : []),
    ],
    fraud: plan.fraud.planned.map(
      ({ window: w, shards }) =>
        `${w.limit}:${w.subject}${shards > 1 ? `/${shards}` : ''}${w.amount !== undefined ? `=${w.amount}` : ''}`,
    ),
    unverified: plan.fraud.unverified.map((w) => w.limit),
    cost: plan.cost,
    gateways: plan.gateways,
    route: plan.route,
    deadlineMs: plan.deadlineMs,
    resend: plan.resendOf?.challengeId ?? null,
    supersedes: plan.supersedes,
    message: plan.message,
  };
}

function plan(row: Omit<Row, 'rule' | 'expected'>): SendPlan {
  return planSend({
    store: storeFixture({ ...NUMBER_LISTS, ...row.store }),
    phone: phoneOf(row.number ?? ORDINARY),
    purpose: 'verify-phone',
    origin: NO_ORIGIN,
    pointer: undefined,
    factor: undefined,
    now: NOW,
    shardSeed: 0,
    ...row.facts,
  });
}

const pointer = (over: Partial<SendPointer> = {}): SendPointer => ({
  challengeId: 'ch_live',
  phone: ORDINARY,
  expiresAt: NOW + 60_000,
  lastSentAt: NOW - 40_000,
  ...over,
});

const ORDINARY_COUNTS = ['perPhonePer10Minutes<=5', 'perPhonePerDay<=10', 'perStorePerDay/16<=625'];
const GUARD = ['prefixPerHour:4474001', 'countryPerHour:GB/5'];

/** Three linked gateways, and routing facts for the rows of the routing rules. */
const THREE = { gatewayId: 'gw_a', fallbackGatewayIds: ['gw_b', 'gw_c'] };
const routing = (over: Partial<RoutingSettings>): RoutingSettings => ({ ...DEFAULT_ROUTING, ...over });
const ADAPTIVE = { smsAuth: THREE, routing: routing({ mode: 'adaptive' }) };
const stat = (
  gatewayId: string,
  accepted: number,
  approved: number,
  country = 'GB',
): GatewayCountryStats => ({
  country,
  gatewayId,
  accepted,
  delivered: 0,
  failed: 0,
  learnAccepted: accepted,
  learnApproved: approved,
});
const open = (...ids: string[]) =>
  new Map<string, GatewayHealth>(
    ids.map((id) => [id, { state: 'open', failures: 5, attempts: 5, openedAt: new Date(NOW).toISOString() }]),
  );
const measured = (over: Partial<RoutingFacts>): RoutingFacts => ({ ...NO_ROUTING_FACTS, ...over });
const RATES = { asOf: NOW, items: [stat('gw_a', 30, 3), stat('gw_b', 25, 20)] };
const EXPLORE = { explore: 0.05, pick: 0.99 };

const ROWS: Row[] = [
  // Number classes (api.md "Test numbers and trusted numbers").
  {
    rule: 'an ordinary number on /v1: random code, per-phone windows, the store day, the guard, a provider, the send deadline',
    expected: {
      numberClass: 'ordinary',
      code: { kind: 'random', length: 6 },
      delivers: true,
      counts: ORDINARY_COUNTS,
      fraud: GUARD,
      unverified: ['prefixPerHour', 'countryPerHour'],
      cost: 50_000,
      gateways: ['gw_1'],
      deadlineMs: PROVIDER_BUDGET_MS,
    },
  },
  {
    rule: "a test number: the store's fixed code, per-phone windows only, no guard, no cost, no provider",
    number: TEST,
    expected: {
      numberClass: 'test',
      code: { kind: 'fixed', digest: 'digest-of-fixed-code' },
      delivers: false,
      counts: ['perPhonePer10Minutes<=5', 'perPhonePerDay<=10'],
      fraud: [],
      unverified: [],
      cost: 0,
      gateways: [],
    },
  },
  {
    rule: 'a test number takes no budget either, whatever the store sets',
    number: TEST,
    store: { spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 1, countryDailyBudget: { default: 1 } } },
    expected: { fraud: [], cost: 0 },
  },
  {
    rule: 'a trusted number: its own daily cap of 100 instead of the per-phone limits, the store day, no guard',
    number: TRUSTED,
    expected: {
      numberClass: 'trusted',
      code: { kind: 'random', length: 6 },
      delivers: true,
      counts: ['trustedPerDay<=100', 'perStorePerDay/16<=625'],
      fraud: [],
      cost: 50_000,
    },
  },
  {
    rule: 'a trusted number still counts against the spend budgets',
    number: TRUSTED,
    store: { spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 0.5 } },
    expected: { fraud: ['storeSpendPerDay:store=50000'], unverified: [] },
  },
  // Purposes.
  {
    rule: 'authenticate and enroll count and guard as verify-phone does',
    facts: { purpose: 'authenticate' },
    expected: { counts: ORDINARY_COUNTS, fraud: GUARD, supersedes: null },
  },
  {
    rule: 'a new enrollment ends the challenge its pointer names',
    facts: { purpose: 'enroll', pointer: pointer({ phone: '+447400000000' }) },
    expected: { resend: null, supersedes: 'ch_live' },
  },
  {
    rule: 'no other purpose ends the challenge of its pointer',
    facts: { purpose: 'authenticate', pointer: pointer({ phone: '+447400000000' }) },
    expected: { resend: null, supersedes: null },
  },
  // The live pointer.
  {
    rule: 'a live pointer to the same number: a resend of its challenge',
    facts: { pointer: pointer() },
    expected: { resend: 'ch_live' },
  },
  {
    rule: 'an expired pointer: a new challenge',
    facts: { pointer: pointer({ expiresAt: NOW }) },
    expected: { resend: null },
  },
  {
    rule: 'a pointer to another number: a new challenge',
    facts: { pointer: pointer({ phone: '+447400000000' }) },
    expected: { resend: null },
  },
  // Origin.
  {
    rule: 'a client address is counted per 10 minutes',
    facts: { origin: { ...NO_ORIGIN, clientIp: '203.0.113.7' } },
    expected: {
      fraud: [...GUARD, 'clientIpPer10Minutes:203.0.113.7'],
      unverified: ['prefixPerHour', 'countryPerHour'],
    },
  },
  {
    rule: "an application's sends are counted per minute when the store sets the limit",
    facts: { origin: { ...NO_ORIGIN, applicationId: 'app_1' } },
    store: { fraudGuard: { ...DEFAULT_FRAUD_GUARD, perApplicationPerMinute: 2_000 } },
    expected: { fraud: [...GUARD, 'applicationPerMinute:app_1/16'] },
  },
  {
    rule: 'store-level keys share one application count',
    store: { fraudGuard: { ...DEFAULT_FRAUD_GUARD, perApplicationPerMinute: 30 } },
    expected: { fraud: [...GUARD, 'applicationPerMinute:store'] },
  },
  {
    rule: 'a trusted number is counted for no address or application either',
    number: TRUSTED,
    facts: { origin: { clientIp: '203.0.113.7', applicationId: 'app_1', source: null } },
    store: { fraudGuard: { ...DEFAULT_FRAUD_GUARD, perApplicationPerMinute: 30 } },
    expected: { fraud: [] },
  },
  // Fraud-guard and spend settings.
  {
    rule: 'the guard off: no velocity window, the budgets still',
    store: {
      fraudGuard: { ...DEFAULT_FRAUD_GUARD, mode: 'off' },
      spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 10 },
    },
    expected: { fraud: ['storeSpendPerDay:store/2=50000'], unverified: [] },
  },
  {
    rule: 'monitor mode plans the same windows as enforce (only the verdict differs)',
    store: { fraudGuard: { ...DEFAULT_FRAUD_GUARD, mode: 'monitor' } },
    expected: { fraud: GUARD },
  },
  {
    rule: 'the prefix is as long as the store says, but never more than the number minus 4 digits',
    store: { fraudGuard: { ...DEFAULT_FRAUD_GUARD, prefixDigits: 9 } },
    expected: { fraud: ['prefixPerHour:44740012', 'countryPerHour:GB/5'] },
  },
  {
    rule: "a country's budget: its own entry, else default; amounts in millionths at its price",
    number: FRENCH,
    store: {
      spendLimits: {
        ...DEFAULT_SPEND_LIMITS,
        pricePerSegment: { default: 0.05, FR: 0.0725 },
        countryDailyBudget: { default: 2, GB: 0.15 },
      },
    },
    expected: {
      fraud: ['prefixPerHour:3361234', 'countryPerHour:FR/5', 'countrySpendPerDay:FR=72500'],
      cost: 72_500,
    },
  },
  {
    rule: "a number's price is its country's entry, else the default (every country without one)",
    number: '+4915112345678',
    store: { spendLimits: { ...DEFAULT_SPEND_LIMITS, pricePerSegment: { default: 0.05, FR: 0.0725 } } },
    expected: { cost: 50_000 },
  },
  {
    rule: "a country's budget: none without `countryDailyBudget`; its own entry over the default",
    store: {
      spendLimits: {
        ...DEFAULT_SPEND_LIMITS,
        countryDailyBudget: { default: 2, GB: 0.15 },
      },
    },
    expected: { fraud: [...GUARD, 'countrySpendPerDay:GB=50000'] },
  },
  {
    rule: "the cap on the prefix follows the number's own length (11 digits: 7)",
    number: FRENCH,
    store: { fraudGuard: { ...DEFAULT_FRAUD_GUARD, prefixDigits: 9 } },
    expected: { fraud: ['prefixPerHour:3361234', 'countryPerHour:FR/5'] },
  },
  {
    rule: 'a message of two segments costs two',
    store: { smsAuth: { messageTemplate: `${'x'.repeat(160)} [Code]` } },
    expected: { cost: 100_000, message: { template: `${'x'.repeat(160)} [Code]`, segments: 2 } },
  },
  // Store settings.
  {
    rule: 'a small store day stays exact: one shard',
    store: { sendLimits: { perPhonePer10Minutes: 1, perPhonePerDay: 2, perStorePerDay: 150 } },
    expected: { counts: ['perPhonePer10Minutes<=1', 'perPhonePerDay<=2', 'perStorePerDay/1<=150'] },
  },
  {
    rule: 'gateways: the primary, then the fallbacks in order (a store without routing: ordered, from the head)',
    store: { smsAuth: { gatewayId: 'gw_a', fallbackGatewayIds: ['gw_b', 'gw_c'] } },
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'ordered', choice: 'head' } },
  },
  // Routing (api.md "Routing" and its exact rules).
  {
    rule: 'routing: byCountry[C] first for a number of C, then the rest in linked order',
    store: { smsAuth: THREE, routing: routing({ byCountry: { GB: ['gw_c'] } }) },
    expected: { gateways: ['gw_c', 'gw_a', 'gw_b'], route: { mode: 'ordered', choice: 'country' } },
  },
  {
    rule: "routing: another country's byCountry does not apply",
    number: FRENCH,
    store: { smsAuth: THREE, routing: routing({ byCountry: { GB: ['gw_c'] } }) },
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'ordered', choice: 'head' } },
  },
  {
    rule: 'routing: an open gateway goes to the end of the order (tried only when none other is left)',
    store: { smsAuth: THREE },
    facts: { routing: measured({ health: open('gw_a') }) },
    expected: { gateways: ['gw_b', 'gw_c', 'gw_a'], route: { mode: 'ordered', choice: 'head' } },
  },
  {
    rule: 'routing: ordered mode ignores rates',
    store: { smsAuth: THREE },
    facts: { routing: measured({ stats: RATES }) },
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'ordered', choice: 'head' } },
  },
  {
    rule: 'adaptive: no rate yet starts at the head of the order',
    store: ADAPTIVE,
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'adaptive', choice: 'head' } },
  },
  {
    rule: "adaptive: no rate yet starts at the country's gateway",
    store: { ...ADAPTIVE, routing: routing({ mode: 'adaptive', byCountry: { GB: ['gw_b'] } }) },
    expected: { gateways: ['gw_b', 'gw_a', 'gw_c'], route: { mode: 'adaptive', choice: 'country' } },
  },
  {
    rule: 'adaptive: starts at the best rate, then the order from the top',
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES }) },
    expected: {
      gateways: ['gw_b', 'gw_a', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.8 },
    },
  },
  {
    rule: 'adaptive: below minSamples a gateway has no rate',
    store: { ...ADAPTIVE, routing: routing({ mode: 'adaptive', minSamples: 26 }) },
    facts: { routing: measured({ stats: RATES }) },
    expected: {
      gateways: ['gw_a', 'gw_b', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.1 },
    },
  },
  {
    rule: "adaptive: only the number's country's rates count",
    number: FRENCH,
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES }) },
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'adaptive', choice: 'head' } },
  },
  {
    rule: 'adaptive: equal rates go to the lower price the send would be estimated at',
    store: ADAPTIVE,
    facts: {
      routing: measured({
        stats: { asOf: NOW, items: [stat('gw_a', 20, 10), stat('gw_b', 40, 20)] },
        priceOf: (id) => (id === 'gw_a' ? 60_000 : 40_000),
      }),
    },
    expected: {
      gateways: ['gw_b', 'gw_a', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.5 },
    },
  },
  {
    rule: 'adaptive: equal rates and prices go to the order',
    store: ADAPTIVE,
    facts: {
      routing: measured({ stats: { asOf: NOW, items: [stat('gw_c', 20, 10), stat('gw_b', 40, 20)] } }),
    },
    expected: {
      gateways: ['gw_b', 'gw_a', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.5 },
    },
  },
  {
    rule: 'adaptive: an open gateway is never the start, whatever its rate',
    store: ADAPTIVE,
    facts: {
      routing: measured({
        stats: { asOf: NOW, items: [stat('gw_b', 25, 20), stat('gw_c', 20, 19)] },
        health: open('gw_c'),
      }),
    },
    expected: {
      gateways: ['gw_b', 'gw_a', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.8 },
    },
  },
  {
    rule: "adaptive: exploring (draw below explorePercent/100) starts at one of the order's other gateways",
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES, draw: EXPLORE }) },
    expected: {
      gateways: ['gw_c', 'gw_a', 'gw_b'],
      route: { mode: 'adaptive', choice: 'explore' },
    },
  },
  {
    rule: 'adaptive: a draw at the share does not explore',
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES, draw: { explore: 0.1, pick: 0.99 } }) },
    expected: {
      gateways: ['gw_b', 'gw_a', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.8 },
    },
  },
  {
    rule: 'adaptive: exploration never picks an open gateway',
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES, draw: { explore: 0.05, pick: 0.98 }, health: open('gw_c') }) },
    expected: {
      gateways: ['gw_a', 'gw_b', 'gw_c'],
      route: { mode: 'adaptive', choice: 'explore', rate: 0.1 },
    },
  },
  {
    rule: 'adaptive: explorePercent 0 never explores',
    store: { ...ADAPTIVE, routing: routing({ mode: 'adaptive', explorePercent: 0 }) },
    facts: { routing: measured({ stats: RATES, draw: { explore: 0, pick: 0 } }) },
    expected: {
      gateways: ['gw_b', 'gw_a', 'gw_c'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.8 },
    },
  },
  {
    rule: 'adaptive: the deployment does not allow it (adaptiveRoutingAllowed off): ordered',
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES, adaptiveAllowed: false }) },
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'ordered', choice: 'head' } },
  },
  {
    rule: 'adaptive: a relayed code neither uses the rates nor explores',
    store: ADAPTIVE,
    facts: {
      purpose: 'relay',
      relayed: { text: 'code 2', code: undefined },
      routing: measured({ stats: RATES, draw: EXPLORE }),
    },
    expected: { gateways: ['gw_a', 'gw_b', 'gw_c'], route: { mode: 'adaptive', choice: 'head' } },
  },
  {
    rule: 'adaptive: a test number reaches no gateway and uses no rate',
    number: TEST,
    store: ADAPTIVE,
    facts: { routing: measured({ stats: RATES, draw: EXPLORE }) },
    expected: { gateways: [], route: { mode: 'adaptive', choice: 'head' } },
  },
  // Deadlines by source.
  {
    rule: "Cognito's custom-auth trigger: its shorter budget",
    facts: { purpose: 'authenticate', origin: { ...NO_ORIGIN, source: 'cognito' } },
    expected: { deadlineMs: COGNITO_PROVIDER_BUDGET_MS },
  },
  // Relayed codes.
  {
    rule: "an Okta relay: the provider's text as it is, its segments, Okta's budget",
    facts: {
      purpose: 'relay',
      origin: { ...NO_ORIGIN, source: 'okta' },
      relayed: { text: 'Your Okta code is 424242', code: undefined },
    },
    expected: {
      code: { kind: 'relayed' },
      message: { template: 'Your Okta code is 424242', segments: 1 },
      counts: ORDINARY_COUNTS,
      fraud: GUARD,
      deadlineMs: OKTA_PROVIDER_BUDGET_MS,
    },
  },
  {
    rule: "a relay with a code only: the store's template around it; Cognito's sender keeps the send deadline",
    facts: {
      purpose: 'relay',
      origin: { ...NO_ORIGIN, source: 'cognito' },
      relayed: { text: undefined, code: '987654' },
    },
    expected: {
      code: { kind: 'relayed' },
      message: { template: 'Code 987654', segments: 1 },
      deadlineMs: PROVIDER_BUDGET_MS,
    },
  },
  {
    rule: 'a relay to a trusted number: past the per-phone limits and the guard',
    number: TRUSTED,
    facts: { purpose: 'relay', relayed: { text: 'code 1', code: undefined } },
    expected: { counts: ['trustedPerDay<=100', 'perStorePerDay/16<=625'], fraud: [] },
  },
];

describe('the send plan: one row per rule', () => {
  it.each(ROWS.map((row) => [row.rule, row] as const))('%s', (_rule, row) => {
    expect(decisions(plan(row))).toMatchObject(row.expected);
  });

  it('every row is a different rule: no two rows share facts', () => {
    const keys = ROWS.map(({ number, facts, store }) => JSON.stringify({ number, facts, store }));
    expect(new Set(keys).size).toBe(ROWS.length);
  });
});

describe('routing: properties over any linked gateways, health, rates and draws', () => {
  const ids = ['gw_a', 'gw_b', 'gw_c', 'gw_d'];
  const state = fc.constantFrom<GatewayHealth['state']>('closed', 'open', 'half-open');
  const input = fc.record({
    linked: fc.shuffledSubarray(ids, { minLength: 1 }),
    byCountry: fc.subarray(ids),
    states: fc.tuple(state, state, state, state),
    counts: fc.array(fc.tuple(fc.nat(60), fc.nat(60)), { minLength: 4, maxLength: 4 }),
    explorePercent: fc.integer({ min: 0, max: 50 }),
    minSamples: fc.integer({ min: 1, max: 40 }),
    explore: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    pick: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  });

  it('the start is linked, never open unless every linked gateway is; explore only below its share', () => {
    fc.assert(
      fc.property(input, (x) => {
        const health = new Map<string, GatewayHealth>(
          ids.map((id, i) => [id, { state: x.states[i]!, failures: 0, attempts: 0 }]),
        );
        const items = ids.map((id, i) => {
          const [accepted, approved] = x.counts[i]!;
          return stat(id, accepted, Math.min(accepted, approved));
        });
        const settings = routing({
          mode: 'adaptive',
          byCountry: { GB: x.byCountry },
          explorePercent: x.explorePercent,
          minSamples: x.minSamples,
        });
        const { gateways, route } = routeSend({
          routing: settings,
          linked: x.linked,
          country: 'GB',
          learns: true,
          facts: measured({
            stats: { asOf: NOW, items },
            health,
            draw: { explore: x.explore, pick: x.pick },
          }),
          storePrice: 50_000,
        });
        expect([...gateways].sort()).toEqual([...x.linked].sort());
        const start = gateways[0]!;
        const someClosed = x.linked.some((id) => health.get(id)!.state !== 'open');
        if (someClosed) expect(health.get(start)!.state).not.toBe('open');
        if (route.choice === 'explore') expect(x.explore).toBeLessThan(x.explorePercent / 100);
        // Open gateways come after every other one.
        const firstOpen = gateways.findIndex((id) => health.get(id)!.state === 'open');
        if (firstOpen >= 0)
          expect(gateways.slice(firstOpen).every((id) => health.get(id)!.state === 'open')).toBe(true);
        if (route.choice === 'best-rate') expect(route.rate).toBeGreaterThanOrEqual(0);
      }),
      { seed: 2612, numRuns: 2_000 },
    );
  });

  it('over many sends the explore share stays within explorePercent (seeded draws)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer(), (explorePercent, seed) => {
        const random = seededRandom(seed);
        const draws = Array.from({ length: 20_000 }, () => random.int(1_000_000) / 1_000_000);
        let explored = 0;
        for (let i = 0; i + 1 < draws.length; i += 2) {
          const { route } = routeSend({
            routing: routing({ mode: 'adaptive', explorePercent }),
            linked: ['gw_a', 'gw_b'],
            country: 'GB',
            learns: true,
            facts: measured({ stats: RATES, draw: { explore: draws[i]!, pick: draws[i + 1]! } }),
            storePrice: 50_000,
          });
          if (route.choice === 'explore') explored++;
        }
        // 10,000 sends: the share is within 2.5 points of the setting (5 standard deviations at 50%).
        expect(Math.abs(explored / 10_000 - explorePercent / 100)).toBeLessThan(0.025);
      }),
      { seed: 2613, numRuns: 20 },
    );
  });

  it('a later gateway of the same send reports failover; the start its own route', () => {
    const plan = {
      gateways: ['gw_b', 'gw_a'],
      route: { mode: 'adaptive', choice: 'best-rate', rate: 0.8 } as Route,
    };
    expect(attemptRoute(plan, 'gw_b')).toEqual(plan.route);
    expect(attemptRoute(plan, 'gw_a')).toEqual({ mode: 'adaptive', choice: 'failover' });
  });
});

describe('refusals the plan decides', () => {
  it('a test number takes no relayed code: its code is the fixed one', () => {
    const relay = () =>
      plan({ number: TEST, facts: { purpose: 'relay', relayed: { text: 'code 1', code: undefined } } });
    expect(relay).toThrow(PhoneNotAllowed);
  });
});

describe('windows, shards and times', () => {
  it('a hot key keeps small limits exact and spreads big ones over at most 16 items', () => {
    expect([3, 199, 200, 500, 10_000_000].map(shardCount)).toEqual([1, 1, 2, 5, 16]);
  });

  it("a budget's per-item share: the budget over its shards, rounded up", () => {
    const p = plan({ store: { spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 0.3 } } });
    expect(p.fraud.planned.at(-1)).toMatchObject({ shards: 1, window: { max: 300_000, amount: 50_000 } });
    const big = plan({ store: { spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 1_000 } } });
    expect(big.fraud.planned.at(-1)).toMatchObject({ shards: 16, window: { max: 62_500_000 } });
  });

  it('windows are fixed: the 10 minutes, the day and the hour the send falls in', () => {
    const p = plan({ store: { spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 10 } } });
    expect(p.windows).toEqual([
      { limit: 'perPhonePer10Minutes', bucket: TEN_MINUTES, max: 5, endsAt: (TEN_MINUTES + 1) * 600_000 },
      { limit: 'perPhonePerDay', bucket: DAY, max: 10, endsAt: END_OF_DAY },
    ]);
    expect(p.fraud.planned[0]!.window).toMatchObject({ bucket: HOUR, endsAt: (HOUR + 1) * 3_600_000 });
    expect(p.fraud.planned.at(-1)!.window).toMatchObject({ bucket: DAY, endsAt: END_OF_DAY });
    expect(plan({ number: TRUSTED }).windows).toEqual([
      { limit: 'trustedPerDay', bucket: DAY, max: 100, endsAt: END_OF_DAY },
    ]);
  });

  it('the code expires after the TTL; resends wait the interval', () => {
    const p = plan({
      store: { codePolicy: { length: 8, ttlSeconds: 120, maxAttempts: 3, resendIntervalSeconds: 45 } },
    });
    expect(p.expiresAt).toBe(NOW + 120_000);
    expect(p.resendIntervalMs).toBe(45_000);
    expect(p.code).toEqual({ kind: 'random', length: 8 });
  });

  it('the seed picks where each sharded count starts, every shard reachable', () => {
    const starts = (seed: number) => {
      const p = plan({ facts: { shardSeed: seed } });
      return [p.storeDay!.window.shard, p.fraud.planned[1]!.window.shard];
    };
    expect(starts(0)).toEqual([0, 0]);
    expect(starts(17)).toEqual([1, 2]);
    expect(starts(SHARD_SEED_RANGE - 1)).toEqual([15, 4]);
    // Each shard count up to 16 divides the range: every start is equally likely.
    for (let shards = 1; shards <= 16; shards++) expect(SHARD_SEED_RANGE % shards).toBe(0);
  });

  it("a further attempt counts the same limits at its own moment, from the first attempt's shard", () => {
    const first = plan({ facts: { shardSeed: 21 } });
    const later = attemptCounts(first, END_OF_DAY + 1_000);
    expect(later.windows.map((w) => [w.limit, w.bucket])).toEqual([
      ['perPhonePer10Minutes', Math.floor((END_OF_DAY + 1_000) / 600_000)],
      ['perPhonePerDay', DAY + 1],
    ]);
    expect(later.storeDay).toMatchObject({ window: { bucket: DAY + 1, shard: 5 }, shards: 16 });
    expect(attemptCounts(plan({ number: TEST }), NOW).storeDay).toBeNull();
  });

  it("a further attempt charges every budget its own gateway's price for the rendered segments; the first its head's", () => {
    const budgets = { ...DEFAULT_SPEND_LIMITS, dailyBudget: 10, countryDailyBudget: { default: 5 } };
    const cheap = { pricePerSegment: { default: 0.02 } };
    const dear = { pricePerSegment: { GB: 0.07, default: 0.04 } };
    // Two segments: the template is longer than one GSM segment with the code in it.
    const long = 'x'.repeat(160) + ' [Code]';
    const first = plan({
      store: { spendLimits: budgets, smsAuth: { messageTemplate: long, fallbackGatewayIds: ['gw_2'] } },
      facts: {
        gatewayPrices: new Map([
          ['gw_1', cheap],
          ['gw_2', dear],
        ]),
      },
    });
    expect(first.message.segments).toBe(2);
    const charged = (windows: { window: { limit: string; amount?: number } }[]) =>
      windows.filter((p) => /Spend/.test(p.window.limit)).map((p) => [p.window.limit, p.window.amount]);
    expect(charged(first.fraud.planned)).toEqual([
      ['storeSpendPerDay', 40_000],
      ['countrySpendPerDay', 40_000],
    ]);
    expect(charged(attemptCounts(first, NOW, dear).budgets)).toEqual([
      ['storeSpendPerDay', 140_000],
      ['countrySpendPerDay', 140_000],
    ]);
    // Without the gateway's prices: the store's.
    expect(charged(attemptCounts(first, NOW, undefined).budgets)).toEqual([
      ['storeSpendPerDay', 100_000],
      ['countrySpendPerDay', 100_000],
    ]);
    // A test number reaches no provider: nothing is charged.
    expect(attemptCounts(plan({ number: TEST, store: { spendLimits: budgets } }), NOW, dear).budgets).toEqual(
      [],
    );
  });

  it("a reroute's own order is tried, and its first gateway priced", () => {
    const p = plan({
      store: {
        spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 10 },
        smsAuth: { fallbackGatewayIds: ['gw_2'] },
      },
      facts: {
        gatewayPrices: new Map([['gw_2', { pricePerSegment: { default: 0.09 } }]]),
        order: ['gw_2'],
      },
    });
    expect(p.gateways).toEqual(['gw_2']);
    expect(p.cost).toBe(90_000);
    expect(p.route).toEqual({ mode: 'ordered', choice: 'reroute' });
    expect(attemptRoute(p, 'gw_2')).toEqual({ mode: 'ordered', choice: 'reroute' });
  });
});

describe('the message body', () => {
  it('an ordinary number gets its code in the template; a test number zeros; a relay its own text', () => {
    expect(messageBody(plan({}), '123456')).toBe('Code 123456');
    expect(messageBody(plan({ number: TEST }), 'digest-of-fixed-code')).toBe('Code 000000');
    const relay = plan({ facts: { purpose: 'relay', relayed: { text: 'Okta 42', code: undefined } } });
    expect(messageBody(relay, 'ignored')).toBe('Okta 42');
  });
});

describe('a call in the send plan (issue 29): routing, prices and the spoken template', () => {
  const VOICE = voiceWithDefaults({
    enabled: true,
    allowedCountries: ['GB'],
    messageTemplates: { de: 'Ihr Code [Code]' },
  });
  const CHANNELS = { gw_sms: ['sms'], gw_a: ['sms', 'voice'], gw_b: ['sms', 'voice'] } as const;
  const voiceStore = (routing: Partial<RoutingSettings> = {}) => ({
    voice: VOICE,
    smsAuth: { gatewayId: 'gw_sms', fallbackGatewayIds: ['gw_a', 'gw_b'] },
    routing: { ...DEFAULT_ROUTING, ...routing },
    spendLimits: { ...DEFAULT_SPEND_LIMITS, dailyBudget: 10, pricePerCall: { default: 0.2 } },
  });
  const call = (store: StoreOverrides, facts: Partial<SendFacts> = {}) =>
    plan({
      store,
      facts: {
        purpose: 'authenticate',
        origin: { ...NO_ORIGIN, channel: 'voice', locale: 'de-AT' },
        voiceAllowed: true,
        gatewayChannels: CHANNELS,
        ...facts,
      },
    });

  it('routes only among the gateways that can call: byCountry and health order them, an SMS-only one never comes', () => {
    expect(call(voiceStore()).gateways).toEqual(['gw_a', 'gw_b']);
    const byCountry = call(voiceStore({ byCountry: { GB: ['gw_sms', 'gw_b'] } }));
    expect(byCountry.gateways).toEqual(['gw_b', 'gw_a']);
    expect(byCountry.route).toEqual({ mode: 'ordered', choice: 'country' });
    const health = new Map<string, GatewayHealth>([['gw_a', { state: 'open' } as GatewayHealth]]);
    expect(call(voiceStore(), { routing: { ...NO_ROUTING_FACTS, health } }).gateways).toEqual([
      'gw_b',
      'gw_a',
    ]);
  });

  it('adaptive stores route a call in order: calls neither use nor feed the text conversion rates', () => {
    const stats: GatewayCountryStats[] = [
      {
        country: 'GB',
        gatewayId: 'gw_b',
        accepted: 50,
        delivered: 50,
        failed: 0,
        learnAccepted: 50,
        learnApproved: 50,
      },
    ];
    const routing: RoutingFacts = { ...NO_ROUTING_FACTS, stats: { asOf: NOW, items: stats } };
    const adaptive = voiceStore({ mode: 'adaptive', minSamples: 10 });
    expect(call(adaptive, { routing }).gateways).toEqual(['gw_a', 'gw_b']);
    expect(call(adaptive, { routing }).route.choice).toBe('head');
    // The same facts move a text to the better rate: the rates are there, only the call ignores them.
    const text = plan({ store: adaptive, facts: { purpose: 'authenticate', routing } });
    expect(text.route.choice).toBe('best-rate');
  });

  it("is one unit at the call price: the store's pricePerCall, a gateway's own pricePerCall per attempt", () => {
    const planned = call(voiceStore());
    expect(planned.message).toEqual({ template: 'Ihr Code [Code]', segments: 1 });
    expect(planned.cost).toBe(200_000);
    expect(planned.costThrough({ pricePerCall: { GB: 0.35 }, pricePerSegment: { GB: 0.01 } })).toBe(350_000);
    expect(planned.costThrough({ pricePerSegment: { GB: 0.01 } })).toBe(200_000);
    // The budget counts the call price, not a segment's.
    expect(planned.fraud.planned.map((p) => p.window.amount).filter((a) => a !== undefined)).toContain(
      200_000,
    );
    expect(messageBody(planned, '123456')).toBe('Ihr Code 1, 2, 3, 4, 5, 6');
  });
});
