import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localContext } from '../../local/local-context.ts';
import {
  GATEWAY_OPENED_METRIC,
  GatewayHealthTable,
} from '../../shared/adapters/dynamodb/gateway-health-table.ts';
import { OPEN_FOR_MS, TRIAL_CLAIM_MS } from '../../shared/domain/gateways/gateway-breaker.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import { SmsDelivery } from '../../shared/domain/sending/sms-delivery.ts';
import type { EventData, EventType } from '../../shared/ports/events.ts';
import { SendFailure, type SendFailureKind, type SmsSender } from '../../shared/ports/sms-sender.ts';
import { noTelemetry, type Telemetry } from '../../shared/ports/telemetry.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { EVENTS, useContext, type Context } from '../../shared/runtime/context.ts';
import { gatewayHealth, healthOf } from '../../shared/runtime/wiring/gateway-health.ts';
import { routing } from '../../shared/runtime/wiring/routing.ts';
import { createTestTable, serviceEnvironmentFor, type TestTable } from '../support/dynamodb.ts';
import { gatewayRecord } from '../support/gateway-record.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { storeFixture } from '../support/store-fixture.ts';

/**
 * Deployed gateway health on DynamoDB Local: two service instances (two contexts with the `table`
 * strategy, as two Lambda instances) share one table. Each sends through a `flaky` gateway, then a
 * `steady` one, as its routing facts and delivery do; the provider's answers are scripted per gateway.
 */
let table: TestTable;
const clock = new ManualClock(Date.UTC(2026, 11, 7, 1, 0));
const events: { type: EventType; data: EventData }[] = [];
const metrics: string[] = [];
/** What the flaky gateway's provider answers next: accepted, or a failure of that kind. */
let flakyAnswer: 'ok' | SendFailureKind = 'ok';
let gatewayCounter = 0;

beforeAll(async () => {
  table = await createTestTable();
  await serviceEnvironmentFor(table, 'sms-mfa-health-');
});
afterAll(async () => {
  await table.drop();
});
beforeEach(() => {
  clock.advance(10 * 60_000);
  events.length = 0;
  metrics.length = 0;
  flakyAnswer = 'ok';
});

const telemetry: Telemetry = { ...noTelemetry, count: (metric) => void metrics.push(metric) };

/** One service instance: its own context (caches, snapshot), the shared table. */
function instance(name: string, flaky: string, steady: string) {
  const ctx: Context = localContext({ clock, telemetry, gatewayHealth: 'table' }, readConfig());
  ctx.once(EVENTS, () => ({
    log: { emit: (type: EventType, data: EventData) => events.push({ type, data }) },
  }));
  const health = gatewayHealth(ctx);
  expect(health).toBeInstanceOf(GatewayHealthTable);
  const requests: string[] = [];
  const sender: SmsSender = {
    send: async (gateway) => {
      requests.push(gateway.id);
      if (gateway.id === flaky && flakyAnswer !== 'ok') {
        throw new SendFailure(flakyAnswer, `${flakyAnswer} from ${name}'s provider`);
      }
      return { providerMessageId: `m-${requests.length}` };
    },
  };
  const delivery = new SmsDelivery(
    {
      connection: async (id) => ({
        gateway: gatewayRecord({ id, name: id, type: 'twilio' }),
        credentials: {},
      }),
      gateway: async (id) => gatewayRecord({ id, name: id, type: 'twilio' }),
    },
    { forType: () => sender },
    noTelemetry,
    5000,
    undefined,
    { health, now: () => clock.now().getTime() },
  );
  const store: IdentityStore = storeFixture({
    name: `store ${name}`,
    smsAuth: { gatewayId: flaky, fallbackGatewayIds: [steady], messageTemplate: '[Code]' },
  });
  return {
    health: health as GatewayHealthTable,
    requests,
    /** As a send does: its routing facts (the snapshot), then the delivery; its side paths settled. */
    send: async (to = '+447400123456') => {
      await routing(ctx).facts.facts(store, clock.now().getTime());
      const sent = await delivery.send(store, { to, body: 'Code 123456' }).catch((error: Error) => error);
      await (health as GatewayHealthTable).settled();
      return sent;
    },
    stateOf: async (id = flaky) =>
      (await health.health([id], clock.now().getTime(), { wait: 'read' })).get(id)!,
  };
}

function pair() {
  const suffix = ++gatewayCounter;
  const flaky = `gw_flaky${suffix}`;
  const steady = `gw_steady${suffix}`;
  return { flaky, a: instance('A', flaky, steady), b: instance('B', flaky, steady) };
}

const breakerEvents = (gatewayId: string) =>
  events.filter((e) => e.data.gatewayId === gatewayId).map((e) => e.type);

describe('gateway health shared through the table', () => {
  it('five 500s on instance A open the gateway for instance B within 5 s, with one gateway.opened', async () => {
    const { flaky, a, b } = pair();
    await b.send(); // B's snapshot: read now, closed.
    expect(b.requests).toEqual([flaky]);

    flakyAnswer = 'unavailable';
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      await a.send();
    }
    // B's success counts as an attempt: five failures of six attempts.
    expect(breakerEvents(flaky)).toEqual(['gateway.opened']);
    expect(events[0]!.data).toEqual({
      gatewayId: flaky,
      failures: 5,
      attempts: 6,
      openedAt: clock.now().toISOString(),
    });
    expect(metrics.filter((m) => m === GATEWAY_OPENED_METRIC)).toHaveLength(1);
    expect(await a.stateOf()).toMatchObject({ state: 'open', failures: 5, attempts: 6 });

    // B's snapshot is 5 s old: its next send reads it again beside its routing facts and skips flaky.
    b.requests.length = 0;
    await b.send();
    expect(b.requests).toEqual([`gw_steady${gatewayCounter}`]);
    expect(await b.stateOf()).toMatchObject({ state: 'open', failures: 5, attempts: 6 });
    await b.send();
    expect(b.requests).toEqual([`gw_steady${gatewayCounter}`, `gw_steady${gatewayCounter}`]);
    expect(breakerEvents(flaky)).toEqual(['gateway.opened']);
  });

  it('both instances failing at once: each judges the window, one wins the conditional open', async () => {
    const { flaky, a, b } = pair();
    flakyAnswer = 'unavailable';
    for (let round = 0; round < 4; round++) await Promise.all([a.send(), b.send()]);
    expect(breakerEvents(flaky)).toEqual(['gateway.opened']);
    expect(metrics.filter((m) => m === GATEWAY_OPENED_METRIC)).toHaveLength(1);
  });

  it('after 60 s only one instance gets the half-open trial; its success closes it for both, once', async () => {
    const { flaky, a, b } = pair();
    flakyAnswer = 'unreachable';
    for (let i = 0; i < 5; i++) await a.send();
    expect(breakerEvents(flaky)).toEqual(['gateway.opened']);
    await b.send(); // B reads the open state.

    clock.advance(OPEN_FOR_MS);
    expect((await a.stateOf()).state).toBe('half-open');
    expect((await b.stateOf()).state).toBe('half-open');
    const now = clock.now().getTime();
    const claims = await Promise.all([a.health.claimTrial(flaky, now), b.health.claimTrial(flaky, now)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Claimed: neither claims again while the claim holds.
    expect(await a.health.claimTrial(flaky, now)).toBe(false);
    expect(await b.health.claimTrial(flaky, now)).toBe(false);

    // The claimer's trial succeeds and closes it.
    const claimer = claims[0] ? a : b;
    flakyAnswer = 'ok';
    await claimer.health.record(flaky, 'success', now);
    expect(breakerEvents(flaky)).toEqual(['gateway.opened', 'gateway.closed']);
    clock.advance(5_000);
    expect((await a.stateOf()).state).toBe('closed');
    expect((await b.stateOf()).state).toBe('closed');
    a.requests.length = 0;
    b.requests.length = 0;
    await a.send();
    await b.send();
    expect([...a.requests, ...b.requests]).toEqual([flaky, flaky]);
    expect(breakerEvents(flaky)).toEqual(['gateway.opened', 'gateway.closed']);
  });

  it('a trial through the delivery: the send that claims it tries the gateway; a failure reopens it once', async () => {
    const { flaky, a, b } = pair();
    flakyAnswer = 'unavailable';
    for (let i = 0; i < 5; i++) await a.send();
    clock.advance(OPEN_FOR_MS);
    await a.stateOf();
    await b.stateOf();
    a.requests.length = 0;
    b.requests.length = 0;
    // Both instances send at the same moment: one of them tries flaky, which fails again.
    await Promise.all([a.send(), b.send()]);
    expect([...a.requests, ...b.requests].filter((id) => id === flaky)).toHaveLength(1);
    expect(breakerEvents(flaky)).toEqual(['gateway.opened', 'gateway.opened']);
    const trialAt = clock.now().toISOString();
    clock.advance(5_000);
    expect(await a.stateOf()).toMatchObject({ state: 'open', openedAt: trialAt });
    expect(await b.stateOf()).toMatchObject({ state: 'open', openedAt: trialAt });
  });

  it('a claimed trial whose outcome never comes may be claimed again after TRIAL_CLAIM_MS', async () => {
    const { flaky, a, b } = pair();
    flakyAnswer = 'unavailable';
    for (let i = 0; i < 5; i++) await a.send();
    clock.advance(OPEN_FOR_MS);
    await a.stateOf();
    expect(await a.health.claimTrial(flaky, clock.now().getTime())).toBe(true);
    clock.advance(TRIAL_CLAIM_MS - 1_000);
    await b.stateOf();
    expect(await b.health.claimTrial(flaky, clock.now().getTime())).toBe(false);
    clock.advance(1_000);
    await b.stateOf();
    expect(await b.health.claimTrial(flaky, clock.now().getTime())).toBe(true);
  });

  it("a tenant's sends to dead numbers (the provider refuses the number) do not open it", async () => {
    const { flaky, a, b } = pair();
    flakyAnswer = 'invalid-number';
    for (let i = 0; i < 20; i++) {
      expect(await a.send(`+4474001234${String(i).padStart(2, '0')}`)).toMatchObject({
        slug: 'phone-not-allowed',
      });
    }
    flakyAnswer = 'opted-out';
    for (let i = 0; i < 10; i++) await b.send();
    flakyAnswer = 'rejected';
    for (let i = 0; i < 10; i++) await b.send();
    expect(breakerEvents(flaky)).toEqual([]);
    expect(await b.stateOf()).toEqual({ state: 'closed', failures: 0, attempts: 0 });
    expect(await a.stateOf()).toEqual({ state: 'closed', failures: 0, attempts: 0 });
  });

  it('successes count as attempts for both: five failures among more than ten attempts do not open it', async () => {
    const { flaky, a, b } = pair();
    for (let i = 0; i < 6; i++) await b.send();
    clock.advance(5_000);
    await b.send(); // B hands its successes over (at most every 5 s).
    flakyAnswer = 'unavailable';
    for (let i = 0; i < 5; i++) await a.send();
    expect(breakerEvents(flaky)).toEqual([]);
    expect(await a.stateOf()).toEqual({ state: 'closed', failures: 5, attempts: 12 });
    await a.send(); // six failures of thirteen attempts: fewer than half, still closed
    expect(breakerEvents(flaky)).toEqual([]);
    await a.send(); // seven of fourteen: half, it opens
    expect(breakerEvents(flaky)).toEqual(['gateway.opened']);
  });

  it('test connections change nothing', async () => {
    const { flaky, a } = pair();
    flakyAnswer = 'unavailable';
    const ctxDelivery = new SmsDelivery(
      {
        connection: async (id) => ({ gateway: gatewayRecord({ id, type: 'twilio' }), credentials: {} }),
        gateway: async (id) => gatewayRecord({ id, type: 'twilio' }),
      },
      {
        forType: () => ({
          send: async () => {
            throw new SendFailure('unavailable', 'down');
          },
        }),
      },
      noTelemetry,
      5000,
      undefined,
      { health: a.health, now: () => clock.now().getTime() },
    );
    for (let i = 0; i < 10; i++) {
      await ctxDelivery
        .sendThrough(flaky, { to: '+447400123456', body: 'test' }, { health: false })
        .catch(() => undefined);
    }
    await a.health.settled();
    expect(await a.stateOf()).toEqual({ state: 'closed', failures: 0, attempts: 0 });
    expect(breakerEvents(flaky)).toEqual([]);
  });

  it("a gateway route's instance, which sends nothing, reads the shared health without building the recording side", async () => {
    const { flaky, a } = pair();
    const admin: Context = localContext({ clock, telemetry, gatewayHealth: 'table' }, readConfig());
    useContext(admin);
    try {
      expect((await healthOf([flaky])).get(flaky)).toEqual({ state: 'closed', failures: 0, attempts: 0 });
      flakyAnswer = 'unavailable';
      for (let i = 0; i < 5; i++) await a.send();
      // Its view is fresh (read just now): the same answer until it is 5 s old, as the table adapter's.
      expect((await healthOf([flaky])).get(flaky)).toMatchObject({ state: 'closed' });
      clock.advance(5_000);
      expect((await healthOf([flaky])).get(flaky)).toMatchObject({
        state: 'open',
        failures: 5,
        attempts: 5,
      });
      expect(gatewayHealth.built(admin)).toBeUndefined();
    } finally {
      useContext(undefined);
    }
  });

  it('a read that fails shows the last view and is counted, never thrown', async () => {
    const { flaky } = pair();
    const before = metrics.length;
    const broken = localContext(
      { clock, telemetry, gatewayHealth: 'table' },
      readConfig({ ...process.env, TABLE_NAME: 'no-such-table' }),
    );
    useContext(broken);
    try {
      expect((await healthOf([flaky])).get(flaky)).toEqual({ state: 'closed', failures: 0, attempts: 0 });
      expect(metrics.slice(before)).toEqual(['SideEffectFailed']);
    } finally {
      useContext(undefined);
    }
  });

  it('items are keyed by gateway and expire: buckets and the state carry a TTL', async () => {
    const { flaky, a } = pair();
    flakyAnswer = 'unavailable';
    for (let i = 0; i < 5; i++) await a.send();
    const items = (await table.scanAll()).filter((item) => item.pk === `GWHEALTH#${flaky}`);
    expect(items.length).toBeGreaterThanOrEqual(2);
    const now = clock.now().getTime() / 1000;
    for (const item of items) {
      expect(item.ttl).toBeGreaterThan(now);
      expect(item.ttl).toBeLessThanOrEqual(now + 24 * 3600 + 1);
      expect(item).not.toHaveProperty('storeId');
    }
  });
});
