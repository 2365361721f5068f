import { describe, expect, it, vi } from 'vitest';
import { LocalWebhookDispatcher } from '../../shared/adapters/webhooks/local-webhook-dispatcher.ts';
import { standardWebhooks } from '../../shared/adapters/webhooks/standard-webhooks.ts';
import { newEvent } from '../../shared/domain/events/event.ts';
import { DeliveryDesk } from '../../shared/domain/webhooks/delivery-desk.ts';
import { DeliveryJournal } from '../../shared/domain/webhooks/delivery-journal.ts';
import { DELIVERY_CLAIM_MS, retryInMsOf } from '../../shared/domain/webhooks/delivery-record.ts';
import { LOCAL_RETRY_DELAYS_MS, type WebhookRecord } from '../../shared/domain/webhooks/webhook.ts';
import { WebhookDelivery } from '../../shared/domain/webhooks/webhook-delivery.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import type { Telemetry } from '../../shared/ports/telemetry.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryDeliveryLog } from '../support/memory-delivery-log.ts';

const T0 = Date.parse('2026-12-06T12:00:00Z');
const hook: WebhookRecord = {
  id: 'wh_1',
  storeId: 'ids_1',
  url: 'https://hooks.example.com/x',
  eventTypes: [],
  secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64'),
  createdAt: '',
};

function setup(statuses: Array<number | undefined> = []) {
  const clock = new ManualClock(T0);
  const log = new MemoryDeliveryLog();
  const webhooks = {
    get: async (storeId: string, id: string) =>
      storeId === hook.storeId && id === hook.id ? hook : undefined,
    listByStore: async (storeId: string) => (storeId === hook.storeId ? [hook] : []),
    create: async () => undefined,
    delete: async () => true,
    rotate: async () => true,
    disable: async () => undefined,
  };
  const posts: Array<Record<string, string>> = [];
  const delivery = new WebhookDelivery({
    webhooks,
    transport: { post: async (_url, headers) => (posts.push(headers), { status: statuses.shift() }) },
    signer: standardWebhooks,
    clock,
  });
  const journal = new DeliveryJournal({ delivery, log, clock, telemetry: noTelemetry });
  const launched: string[] = [];
  const desk = new DeliveryDesk({ webhooks, log, clock, launch: async (r) => void launched.push(r.id) });
  const event = newEvent('challenge.created', { storeId: 'ids_1' }, clock, cryptoRandom);
  return { clock, log, journal, desk, launched, posts, event };
}

describe('DeliveryJournal', () => {
  it('a failed attempt with another due is failed at nextAttemptAt; no answer leaves no status code; then succeeded', async () => {
    const { journal, desk, event, clock } = setup([undefined, 200]);
    await journal.open('ids_1', 'wh_1', event);
    expect((await desk.list('ids_1', 'wh_1', { limit: 10 })).items).toEqual([
      { id: event.id, eventType: 'challenge.created', status: 'pending', attempts: 0 },
    ]);
    expect(await journal.attempt('ids_1', 'wh_1', event, { retryInMs: 2000 })).toBe('retry');
    const [failed] = (await desk.list('ids_1', 'wh_1', { limit: 10 })).items;
    expect(failed).toEqual({
      id: event.id,
      eventType: 'challenge.created',
      status: 'failed',
      attempts: 1,
      lastAttemptAt: new Date(T0).toISOString(),
      nextAttemptAt: new Date(T0 + 2000).toISOString(),
    });
    clock.advance(2000);
    expect(await journal.attempt('ids_1', 'wh_1', event)).toBe('delivered');
    const [done] = (await desk.list('ids_1', 'wh_1', { limit: 10 })).items;
    expect(done).toEqual({
      id: event.id,
      eventType: 'challenge.created',
      status: 'succeeded',
      attempts: 2,
      lastAttemptAt: new Date(T0 + 2000).toISOString(),
      lastStatusCode: 200,
    });
  });

  it('a failure with nothing scheduled, or a 410, is dead', async () => {
    const { journal, log, event } = setup([500, 410]);
    await journal.open('ids_1', 'wh_1', event);
    await journal.attempt('ids_1', 'wh_1', event);
    expect(await log.get('ids_1', 'wh_1', event.id)).toMatchObject({ status: 'dead', lastStatusCode: 500 });
    await log.claim('ids_1', 'wh_1', event.id, T0, 0);
    expect(await journal.attempt('ids_1', 'wh_1', event, { claimed: true, retryInMs: 60_000 })).toBe('gone');
    expect(await log.get('ids_1', 'wh_1', event.id)).toMatchObject({
      status: 'dead',
      attempts: 2,
      lastStatusCode: 410,
    });
  });

  it('an automatic attempt meeting one in flight is not made', async () => {
    const { journal, log, event, posts } = setup();
    await journal.open('ids_1', 'wh_1', event);
    await log.claim('ids_1', 'wh_1', event.id, T0, 0);
    expect(await journal.attempt('ids_1', 'wh_1', event)).toBe('busy');
    expect(posts).toEqual([]);
  });

  it('recording is a side path: a log that fails is reported and the attempt is still made', async () => {
    const { event } = setup();
    const counted: string[] = [];
    const telemetry: Telemetry = {
      ...noTelemetry,
      count: (metric, dims) => void counted.push(`${metric}:${dims?.kind}`),
    };
    const broken = new MemoryDeliveryLog();
    broken.open =
      broken.claim =
      broken.finish =
        async () => {
          throw new Error('throttled');
        };
    const rest = setup([204]);
    const journal = new DeliveryJournal({
      delivery: new WebhookDelivery({
        webhooks: { get: async () => hook } as never,
        transport: { post: async () => ({ status: 204 }) },
        signer: standardWebhooks,
        clock: rest.clock,
      }),
      log: broken,
      clock: rest.clock,
      telemetry,
    });
    await journal.open('ids_1', 'wh_1', event);
    expect(await journal.attempt('ids_1', 'wh_1', event)).toBe('delivered');
    expect(counted).toEqual([
      'SideEffectFailed:webhook-dispatch',
      'SideEffectFailed:webhook-dispatch',
      'SideEffectFailed:webhook-dispatch',
    ]);
  });
});

describe('LocalWebhookDispatcher', () => {
  it('records each attempt and is dead after the 3rd retry fails, each retry due after 1, 2 and 4 s', async () => {
    const { journal, log, event, clock, posts } = setup([500, 502, undefined, 503]);
    const seen: unknown[] = [];
    const waits: number[] = [];
    const dispatcher = new LocalWebhookDispatcher(journal, noTelemetry, async (ms) => {
      const record = await log.get('ids_1', 'wh_1', event.id);
      seen.push({ status: record?.status, attempts: record?.attempts, next: record?.nextAttemptAt });
      waits.push(ms);
      clock.advance(ms);
    });
    dispatcher.dispatch(event);
    await vi.waitFor(async () =>
      expect(await log.get('ids_1', 'wh_1', event.id)).toMatchObject({ status: 'dead', attempts: 4 }),
    );
    expect(posts.map((h) => h['webhook-id'])).toEqual([event.id, event.id, event.id, event.id]);
    expect(waits).toEqual([...LOCAL_RETRY_DELAYS_MS]);
    expect(seen).toEqual([
      { status: 'failed', attempts: 1, next: new Date(T0 + 1000).toISOString() },
      { status: 'failed', attempts: 2, next: new Date(T0 + 3000).toISOString() },
      { status: 'failed', attempts: 3, next: new Date(T0 + 7000).toISOString() },
    ]);
    const dead = await log.get('ids_1', 'wh_1', event.id);
    expect(dead).toMatchObject({ lastStatusCode: 503, lastAttemptAt: new Date(T0 + 7000).toISOString() });
    expect(dead).not.toHaveProperty('nextAttemptAt');
  });
});

describe('DeliveryDesk', () => {
  it('retry claims the delivery and launches one attempt; a second retry while it runs is 409', async () => {
    const { journal, desk, event, launched, clock } = setup();
    await journal.open('ids_1', 'wh_1', event);
    await desk.retry('ids_1', 'wh_1', event.id);
    expect(launched).toEqual([event.id]);
    await expect(desk.retry('ids_1', 'wh_1', event.id)).rejects.toMatchObject({ status: 409 });
    // A claim whose process died is taken as lost once it is older than the claim window.
    clock.advance(DELIVERY_CLAIM_MS + 1);
    await desk.retry('ids_1', 'wh_1', event.id);
    expect(launched).toEqual([event.id, event.id]);
  });

  it('404 for an unknown delivery, another webhook or another store', async () => {
    const { journal, desk, event, launched } = setup();
    await journal.open('ids_1', 'wh_1', event);
    for (const [store, webhook, id] of [
      ['ids_1', 'wh_1', 'evt_unknown'],
      ['ids_2', 'wh_1', event.id],
      ['ids_1', 'wh_2', event.id],
    ] as const) {
      await expect(desk.retry(store, webhook, id)).rejects.toMatchObject({ status: 404 });
    }
    await expect(desk.list('ids_2', 'wh_1', { limit: 10 })).rejects.toMatchObject({ status: 404 });
    expect(launched).toEqual([]);
  });

  it('a retry that fails keeps the delivery failed only while an automatic attempt is still due', () => {
    const now = new Date(T0);
    const base = {
      id: 'e',
      storeId: 's',
      webhookId: 'w',
      eventType: 'challenge.created' as const,
      event: {} as never,
      attempts: 1,
    };
    expect(
      retryInMsOf({ ...base, status: 'failed', nextAttemptAt: new Date(T0 + 500).toISOString() }, now),
    ).toBe(500);
    expect(
      retryInMsOf({ ...base, status: 'failed', nextAttemptAt: new Date(T0 - 1).toISOString() }, now),
    ).toBeUndefined();
    expect(retryInMsOf({ ...base, status: 'dead' }, now)).toBeUndefined();
  });
});
