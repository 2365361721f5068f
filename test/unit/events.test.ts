import { beforeEach, describe, expect, it } from 'vitest';
import {
  deliverRecords,
  type DeliveryMessage,
  type QueueRecord,
} from '../../shared/adapters/webhooks/queue-delivery.ts';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import { ReportExpiry } from '../../shared/domain/challenges/report-expiry.ts';
import { EventLog } from '../../shared/domain/events/event-log.ts';
import { assertSafeEventData, secretsIn } from '../../shared/domain/events/event-guard.ts';
import { newEvent, type DomainEvent } from '../../shared/domain/events/event.ts';
import type { EventData, EventType } from '../../shared/domain/events/event-types.ts';
import {
  DEFAULT_CODE_POLICY,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import type { DeliveryOptions } from '../../shared/domain/sending/sms-delivery.ts';
import { webhookHeaders } from '../../shared/domain/webhooks/signing.ts';
import { standardWebhooks } from '../../shared/adapters/webhooks/standard-webhooks.ts';
import { WebhookDelivery } from '../../shared/domain/webhooks/webhook-delivery.ts';
import { DeliveryJournal } from '../../shared/domain/webhooks/delivery-journal.ts';
import { MemoryDeliveryLog } from '../support/memory-delivery-log.ts';
import {
  DEPLOYED_MAX_ATTEMPTS,
  deployedBackoffSeconds,
  signingSecrets,
  verdictOf,
  type WebhookRecord,
} from '../../shared/domain/webhooks/webhook.ts';
import type { EventPort } from '../../shared/ports/events.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import type { WebhookRepository } from '../../shared/ports/webhook-repository.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { standardWebhookValid } from '../support/webhook-receiver.ts';
import { storeFixture } from '../support/store-fixture.ts';

const T0 = Date.UTC(2026, 11, 1, 9);
let seq = 0;
const random = { bytes: (n: number) => Buffer.alloc(n, seq++ % 256), int: (max: number) => seq++ % max };

describe('Standard Webhooks signing', () => {
  it('matches the specification’s published test vector', () => {
    // standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign function works".
    expect(
      standardWebhooks.sign(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('lists one signature per signing secret; an independent verifier accepts each secret', () => {
    const headers = webhookHeaders(standardWebhooks, ['whsec_AAAA', 'whsec_BBBB'], 'evt_1', 1700000000, '{}');
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(standardWebhookValid('whsec_AAAA', headers, '{}')).toBe(true);
    expect(standardWebhookValid('whsec_BBBB', headers, '{}')).toBe(true);
    expect(standardWebhookValid('whsec_CCCC', headers, '{}')).toBe(false);
    expect(standardWebhookValid('whsec_AAAA', headers, '{ }')).toBe(false);
  });

  it('signs with the previous secret only during the 24-hour overlap', () => {
    const hook = {
      secret: 'whsec_new',
      previousSecret: 'whsec_old',
      previousUntil: T0 + 1000,
    } as WebhookRecord;
    expect(signingSecrets(hook, T0)).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(hook, T0 + 1000)).toEqual(['whsec_new']);
  });

  it('counts 2xx as delivered, 3xx and others as failures, 410 as gone', () => {
    expect([200, 204, 299].map(verdictOf)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([301, 302, 400, 500, undefined].map(verdictOf)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect(verdictOf(410)).toBe('gone');
  });
});

describe('the event guard', () => {
  it('refuses codes, full numbers, keys and passwords, whatever the field', () => {
    expect(secretsIn({ code: '123456' })).not.toEqual([]);
    expect(secretsIn({ note: '123456' })).not.toEqual([]);
    expect(secretsIn({ to: '+447400123456' })).not.toEqual([]);
    expect(secretsIn({ nested: [{ x: 'call +447400123456 now' }] })).not.toEqual([]);
    expect(secretsIn({ password: 'x' })).not.toEqual([]);
    expect(secretsIn({ x: 'whsec_abc' })).not.toEqual([]);
    expect(() => assertSafeEventData({ phoneNumber: '447400123456' })).toThrow(/refused/);
  });

  it('lets ids, masked numbers, countries, timestamps and amounts through', () => {
    expect(
      secretsIn({
        storeId: 'ids_01jf3k2m4n5p6q7r8s9t0v1w2x',
        maskedPhone: '+44*******456',
        country: 'GB',
        at: '2026-12-01T09:00:00.000Z',
        estimatedCost: { amount: 0.04, currency: 'USD' },
        attempt: 2,
      }),
    ).toEqual([]);
  });
});

describe('EventLog', () => {
  it('publishes in parallel and settles before the answer; a failed publication is counted, not thrown', async () => {
    const published: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const log = new EventLog(
      {
        publish: async (event) => {
          await gate;
          if (event.type === 'factor.removed') throw new Error('bus down');
          published.push(event.type);
        },
      },
      new ManualClock(T0),
      random,
      noTelemetry,
      { wait: async () => undefined },
    );
    log.emit('challenge.created', { storeId: 'ids_1' });
    log.emit('factor.removed', { storeId: 'ids_1' });
    let settled = false;
    const done = log.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await done;
    expect(published).toEqual(['challenge.created']);
    // A refused event is a side path's refusal (side-effects.test.ts): not emitted, never thrown.
    expect(() => log.emit('code.sent', { code: '123456' })).not.toThrow();
    await log.settled();
    expect(published).toEqual(['challenge.created']);
  });
});

function recordingEvents() {
  const events: Array<{ type: EventType; data: EventData }> = [];
  const port: EventPort = { emit: (type, data) => void events.push({ type, data }) };
  return { events, port };
}

describe('the use cases emit their events', () => {
  const A = '+447400123456';
  let sent: OutboundSms[];
  let events: Array<{ type: EventType; data: EventData }>;
  let service: ChallengeService;
  let fail: boolean;
  let ports: MemoryChallengePorts;
  let clock: ManualClock;
  const baseStore: IdentityStore = storeFixture({
    codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 30 },
  });
  let store = baseStore;
  const lastCode = () => /(\d{6})/.exec(sent.at(-1)?.body ?? '')?.[1] ?? '';
  const wrong = () => (lastCode() === '000000' ? '111111' : '000000');

  beforeEach(() => {
    store = baseStore;
    ports = new MemoryChallengePorts();
    clock = new ManualClock(T0);
    const recorder = recordingEvents();
    events = recorder.events;
    sent = [];
    fail = false;
    service = new ChallengeService({
      ...ports.serviceStorage(() => store),
      delivery: {
        send: async (_store: IdentityStore, sms: OutboundSms, plan?: DeliveryOptions) => {
          if (fail) {
            plan?.onAttempt?.({ gatewayId: 'gw_1', gatewayType: 'twilio', attempt: 1, outcome: 'refused' });
            await plan?.ledger?.refund();
            throw new Error('no gateway');
          }
          sent.push(sms);
          plan?.onAttempt?.({
            gatewayId: 'gw_1',
            gatewayType: 'twilio',
            attempt: 1,
            outcome: 'accepted',
            providerMessageId: 'SM1',
          });
          return { gatewayId: 'gw_1', gatewayType: 'twilio', providerMessageId: 'SM1' };
        },
      },
      notifier: { notify: async () => undefined },
      pepper: fixedPepper(Buffer.from('pepper')),
      clock,
      random,
      telemetry: noTelemetry,
      events: recorder.port,
    });
  });
  const failures = () => events.filter((e) => e.type === 'challenge.failed');
  const expiry = () => new ReportExpiry({ challenges: ports.challenges, clock, events: recordingPort() });
  const recordingPort = (): EventPort => ({ emit: (type, data) => void events.push({ type, data }) });

  it('the fraud guard emits send.blocked (a prefix event names no number) and, in monitor mode, send.flagged', async () => {
    store = {
      ...baseStore,
      fraudGuard: { ...baseStore.fraudGuard, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 1 },
    };
    await service.verifyPhone(store.id, '+447400123456');
    await expect(service.verifyPhone(store.id, '+447400123457')).rejects.toMatchObject({
      slug: 'send-blocked',
    });
    expect(sent).toHaveLength(1);
    expect(events.filter((e) => e.type.startsWith('send.'))).toEqual([
      { type: 'send.blocked', data: { storeId: 'ids_1', reason: 'prefix-velocity', country: 'GB' } },
    ]);

    events.length = 0;
    store = { ...store, fraudGuard: { ...store.fraudGuard, mode: 'monitor' } };
    await service.verifyPhone(store.id, '+447400123458');
    expect(sent).toHaveLength(2);
    expect(events.filter((e) => e.type.startsWith('send.'))).toEqual([
      { type: 'send.flagged', data: { storeId: 'ids_1', reason: 'prefix-velocity', country: 'GB' } },
    ]);
  });

  it('enroll + verify: created, code.sent with its fields, approved, factor.activated; removal: factor.removed', async () => {
    const { challenge } = await service.enroll(store.id, 'alice', { phoneNumber: A });
    await service.verify(store.id, challenge.id, lastCode());
    await service.removeFactor(store.id, 'alice');
    expect(events.map((e) => e.type)).toEqual([
      'challenge.created',
      'code.sent',
      'challenge.approved',
      'factor.activated',
      'factor.removed',
    ]);
    // Deployed, the expiry check is scheduled from it (cdk/constructs/expiry-reports.ts).
    expect(events[0]!.data).toMatchObject({ challengeId: challenge.id, expiresAt: challenge.expiresAt });
    expect(events[1]!.data).toEqual({
      storeId: 'ids_1',
      challengeId: challenge.id,
      userId: 'alice',
      purpose: 'enroll',
      maskedPhone: '+44*******456',
      country: 'GB',
      gatewayId: 'gw_1',
      gatewayType: 'twilio',
      attempt: 1,
      outcome: 'accepted',
      providerMessageId: 'SM1',
      segments: 1,
      // The store's default price (the gateway has none): the one price rule of prices.ts.
      estimatedCost: { amount: 0.05, currency: 'USD' },
      test: false,
      // Why this gateway, and the code's expiry: the approval names it, crediting this send's gateway.
      route: { mode: 'ordered', choice: 'head' },
      codeExpiresAt: challenge.expiresAt,
      // api.md "Voice calls": every code.sent names its channel.
      channel: 'sms',
    });
    expect(events[2]!.data).toMatchObject({ codeExpiresAt: challenge.expiresAt });
    // Verify and the removal parse no number: the country is the one the send stored with the challenge
    // and the factor.
    for (const event of events.slice(2))
      expect(event.data, event.type).toMatchObject({ maskedPhone: '+44*******456', country: 'GB' });
    for (const event of events) expect(secretsIn(event.data)).toEqual([]);
  });

  it('challenge.failed once: too-many-attempts on the last wrong code, gateway-error when no gateway took it', async () => {
    const challenge = await service.verifyPhone(store.id, A);
    for (let i = 0; i < 5; i++) await service.verify(store.id, challenge.id, wrong()).catch(() => undefined);
    await service.verify(store.id, challenge.id, wrong()).catch(() => undefined);
    const failed = events.filter((e) => e.type === 'challenge.failed');
    expect(failed.map((e) => e.data.reason)).toEqual(['too-many-attempts']);
    fail = true;
    await service.verifyPhone(store.id, '+447400123499').catch(() => undefined);
    expect(events.filter((e) => e.type === 'challenge.failed').map((e) => e.data.reason)).toEqual([
      'too-many-attempts',
      'gateway-error',
    ]);
    expect(events.filter((e) => e.type === 'code.sent').at(-1)!.data.outcome).toBe('refused');
  });
  it('challenge.failed closed: a newer enrollment supersedes, a removed factor closes its sign-in; never twice', async () => {
    const first = (await service.enroll(store.id, 'alice', { phoneNumber: A })).challenge;
    clock.advance(31_000);
    const second = (await service.enroll(store.id, 'alice', { phoneNumber: '+447400123457' })).challenge;
    expect(failures()).toEqual([
      {
        type: 'challenge.failed',
        data: expect.objectContaining({ challengeId: first.id, reason: 'closed' }),
      },
    ]);
    await service.verify(store.id, second.id, lastCode());
    clock.advance(31_000);
    const signIn = await service.authenticate(store.id, 'alice');
    await service.removeFactor(store.id, 'alice');
    expect(failures().map((e) => [e.data.challengeId, e.data.reason])).toEqual([
      [first.id, 'closed'],
      [signIn.id, 'closed'],
    ]);
    clock.advance(600_000);
    for (const id of [first.id, second.id, signIn.id])
      expect(await expiry().run(id)).toEqual({ kind: 'done' });
    expect(failures()).toHaveLength(2);
  });

  it('challenge.failed invalid-code: the wrong code that locks the factor ends its challenge, once', async () => {
    store = { ...baseStore, codePolicy: { ...baseStore.codePolicy, maxAttempts: 20 } };
    const enrolled = (await service.enroll(store.id, 'alice', { phoneNumber: A })).challenge;
    await service.verify(store.id, enrolled.id, lastCode());
    const signIn = await service.authenticate(store.id, 'alice');
    for (let i = 0; i < 9; i++) await service.verify(store.id, signIn.id, wrong()).catch(() => undefined);
    expect(failures()).toEqual([]);
    await expect(service.verify(store.id, signIn.id, wrong())).rejects.toMatchObject({
      slug: 'too-many-attempts',
    });
    expect(events.filter((e) => e.type === 'factor.locked')).toHaveLength(1);
    expect(failures().map((e) => [e.data.challengeId, e.data.reason])).toEqual([[signIn.id, 'invalid-code']]);
    clock.advance(301_000);
    expect(await expiry().run(signIn.id)).toEqual({ kind: 'done' });
    expect(failures()).toHaveLength(1);
  });

  it('challenge.failed expired: reported once after the expiry, not while a resend keeps it open, never for an approval', async () => {
    const challenge = await service.verifyPhone(store.id, A);
    expect(await expiry().run(challenge.id)).toEqual({ kind: 'later', at: T0 + 300_000 });
    clock.advance(60_000);
    await service.verifyPhone(store.id, A);
    expect(await expiry().run(challenge.id)).toEqual({ kind: 'later', at: T0 + 360_000 });
    clock.advance(300_000);
    const [first, second] = await Promise.all([expiry().run(challenge.id), expiry().run(challenge.id)]);
    expect([first, second]).toEqual([{ kind: 'reported' }, { kind: 'done' }]);
    expect(failures()).toEqual([
      {
        type: 'challenge.failed',
        data: expect.objectContaining({
          challengeId: challenge.id,
          reason: 'expired',
          maskedPhone: '+44*******456',
        }),
      },
    ]);
    const approved = await service.verifyPhone(store.id, '+447400123499');
    await service.verify(store.id, approved.id, lastCode());
    clock.advance(301_000);
    expect(await expiry().run(approved.id)).toEqual({ kind: 'done' });
    expect(await expiry().run('ch_unknown')).toEqual({ kind: 'done' });
    expect(failures()).toHaveLength(1);
  });
});

describe('deployed delivery through the queue', () => {
  const event: DomainEvent = newEvent('challenge.created', { storeId: 'ids_1' }, new ManualClock(T0), random);
  const hook: WebhookRecord = {
    id: 'wh_1',
    storeId: 'ids_1',
    url: 'https://hooks.example.com/x',
    eventTypes: [],
    secret: 'whsec_AAAA',
    createdAt: '',
  };
  const repo = (disabled: string[]): WebhookRepository => ({
    create: async () => undefined,
    get: async () => (disabled.length ? { ...hook, disabledAt: disabled[0] } : hook),
    listByStore: async (storeId) =>
      storeId === 'ids_1' ? [hook, { ...hook, id: 'wh_2', storeId: 'ids_2' }] : [],
    delete: async () => true,
    rotate: async () => true,
    disable: async (_s, _w, at) => void disabled.push(at),
  });
  const record = (body: unknown, receives = 1): QueueRecord => ({
    messageId: `m${receives}`,
    receiptHandle: `r${receives}`,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receives) },
  });

  it('fans an EventBridge envelope out to the store’s webhooks, then retries with backoff, stops on 410 and records it all', async () => {
    const queued: DeliveryMessage[] = [];
    const delays: Array<[string, number]> = [];
    const queue = {
      enqueue: async (m: DeliveryMessage[]) => void queued.push(...m),
      delay: async (r: string, s: number) => void delays.push([r, s]),
    };
    const statuses = [500, 410];
    const posts: Array<Record<string, string>> = [];
    const disabled: string[] = [];
    const clock = new ManualClock(T0);
    const log = new MemoryDeliveryLog();
    const delivery = new DeliveryJournal({
      delivery: new WebhookDelivery({
        webhooks: repo(disabled),
        transport: { post: async (_u, headers) => (posts.push(headers), { status: statuses.shift() }) },
        signer: standardWebhooks,
        clock,
      }),
      log,
      clock,
      telemetry: noTelemetry,
    });
    const recorded = () => log.get('ids_1', 'wh_1', event.id);
    expect(
      await deliverRecords([record({ 'detail-type': event.type, detail: event })], delivery, queue),
    ).toEqual([]);
    expect(queued.map((m) => m.webhookId)).toEqual(['wh_1']);
    expect(await recorded()).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await deliverRecords([record(queued[0], 3)], delivery, queue)).toEqual(['m3']);
    expect(delays).toEqual([['r3', deployedBackoffSeconds(3)]]);
    expect(await recorded()).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 500,
      nextAttemptAt: new Date(T0 + deployedBackoffSeconds(3) * 1000).toISOString(),
    });
    expect(await deliverRecords([record(queued[0], 4)], delivery, queue)).toEqual([]);
    expect(disabled).toHaveLength(1);
    const dead = await recorded();
    expect(dead).toMatchObject({ status: 'dead', attempts: 2, lastStatusCode: 410 });
    expect(dead).not.toHaveProperty('nextAttemptAt');
    expect(posts.map((h) => h['webhook-id'])).toEqual([event.id, event.id]);
    expect(deployedBackoffSeconds(1)).toBe(60);
    expect(deployedBackoffSeconds(20)).toBe(12 * 3600);
  });

  it('records the last receive before the dead-letter queue as dead, and an admin retry as one attempt', async () => {
    const queue = { enqueue: async () => undefined, delay: async () => undefined };
    const clock = new ManualClock(T0);
    const log = new MemoryDeliveryLog();
    const statuses = [503, 503, 200];
    const delivery = new DeliveryJournal({
      delivery: new WebhookDelivery({
        webhooks: repo([]),
        transport: { post: async () => ({ status: statuses.shift() }) },
        signer: standardWebhooks,
        clock,
      }),
      log,
      clock,
      telemetry: noTelemetry,
    });
    await log.open('ids_1', 'wh_1', event);
    const message = { kind: 'webhook-delivery', storeId: 'ids_1', webhookId: 'wh_1', event };
    expect(await deliverRecords([record(message, DEPLOYED_MAX_ATTEMPTS)], delivery, queue)).toEqual([
      `m${DEPLOYED_MAX_ATTEMPTS}`,
    ]);
    expect(await log.get('ids_1', 'wh_1', event.id)).toMatchObject({ status: 'dead', lastStatusCode: 503 });
    // An admin's retry was claimed by the route: one attempt, never handed back to the queue.
    await log.claim('ids_1', 'wh_1', event.id, T0, 0);
    expect(await deliverRecords([record({ ...message, retry: {} }, 1)], delivery, queue)).toEqual([]);
    expect(await log.get('ids_1', 'wh_1', event.id)).toMatchObject({ status: 'dead', attempts: 2 });
    await log.claim('ids_1', 'wh_1', event.id, T0, 0);
    expect(await deliverRecords([record({ ...message, retry: {} }, 1)], delivery, queue)).toEqual([]);
    const done = await log.get('ids_1', 'wh_1', event.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200 });
    expect(done).not.toHaveProperty('inFlightSince');
  });
});
