import { beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../shared/domain/errors.ts';
import { Idempotency } from '../../shared/domain/idempotency.ts';
import {
  DEFAULT_SEND_LIMITS,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import { liveSecrets, rotated, SECRET_OVERLAP_MS } from '../../shared/domain/integrations/hook-secret.ts';
import { standardWebhooks } from '../../shared/adapters/webhooks/standard-webhooks.ts';
import { standardWebhookMatches } from '../../shared/domain/integrations/standard-webhook-check.ts';
import { RelayCode } from '../../shared/domain/relay/relay-code.ts';
import type { DeliveryOptions } from '../../shared/domain/sending/sms-delivery.ts';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../shared/ports/idempotency-store.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/** The relay use case against in-memory ports: the send guards without a challenge. */
const T0 = Date.UTC(2026, 11, 1, 9);
const A = '+447400123456';

class MemoryIdempotency implements IdempotencyStore {
  readonly records = new Map<string, { fingerprint: string; response?: StoredResponse }>();
  async claim(request: { storeId: string; key: string; fingerprint: string }): Promise<IdempotencyClaim> {
    const id = `${request.storeId}/${request.key}`;
    const record = this.records.get(id);
    if (!record) {
      this.records.set(id, { fingerprint: request.fingerprint });
      return { kind: 'claimed' };
    }
    if (record.fingerprint !== request.fingerprint) return { kind: 'mismatch' };
    return record.response ? { kind: 'replay', response: record.response } : { kind: 'in-progress' };
  }
  async complete(storeId: string, key: string, response: StoredResponse) {
    this.records.get(`${storeId}/${key}`)!.response = response;
  }
  async release(storeId: string, key: string) {
    this.records.delete(`${storeId}/${key}`);
  }
}

let ports: MemoryChallengePorts;
let clock: ManualClock;
let sent: OutboundSms[];
let failNext: boolean;
let store: IdentityStore;
let relay: RelayCode;
let emitted: string[];

beforeEach(() => {
  ports = new MemoryChallengePorts();
  clock = new ManualClock(T0);
  sent = [];
  emitted = [];
  failNext = false;
  store = storeFixture({
    smsAuth: { messageTemplate: 'Acme [Code]' },
    sendLimits: { ...DEFAULT_SEND_LIMITS, perPhonePer10Minutes: 2 },
  });
  let seq = 0;
  relay = new RelayCode({
    stores: { get: async (id) => (id === store.id ? store : undefined) },
    counters: ports.counters,
    delivery: {
      send: async (_store: IdentityStore, sms: OutboundSms, plan?: DeliveryOptions) => {
        if (failNext) {
          failNext = false;
          await plan?.ledger?.refund();
          throw new GatewayError('no gateway took it');
        }
        sent.push(sms);
        return { gatewayId: 'gw_1', gatewayType: 'console', providerMessageId: `m${sent.length}` };
      },
    },
    idempotency: new Idempotency(new MemoryIdempotency(), clock),
    pepper: fixedPepper(Buffer.from('pepper')),
    clock,
    random: { bytes: (n) => Buffer.alloc(n, seq++ % 256), int: (max) => seq++ % max },
    telemetry: noTelemetry,
    events: { emit: (type, data) => void emitted.push(`${type} ${String(data.reason)}`) },
  });
});

const request = (extra: Record<string, unknown> = {}) => ({
  storeId: store.id,
  integrationId: 'int_1',
  source: 'okta' as const,
  to: A.slice(1),
  channel: 'sms',
  ...extra,
});
const slug = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { slug?: string }) => e.slug ?? String(e),
  );

describe('RelayCode', () => {
  it('sends the provider text to the normalised number, stores no challenge, counts the send', async () => {
    const result = await relay.run(request({ text: 'Your code is 123456' }));
    expect(sent).toEqual([{ to: A, body: 'Your code is 123456' }]);
    expect(result).toMatchObject({
      source: 'okta',
      gatewayId: 'gw_1',
      replayed: false,
      maskedPhone: expect.any(String),
    });
    expect(JSON.stringify(result)).not.toContain('123456');
    expect(ports.challengeItems.size).toBe(0);
    await relay.run(request({ code: '222333' }));
    expect(sent.at(-1)!.body).toBe('Acme 222333');
    // perPhonePer10Minutes: 2
    expect(await slug(relay.run(request({ code: '1' })))).toBe('rate-limited');
    expect(sent).toHaveLength(2);
  });

  it('relays to a trusted number past the per-phone limits and the fraud guard; never to a test number', async () => {
    store = {
      ...store,
      trustedNumbers: [A],
      fraudGuard: { ...store.fraudGuard, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 1 },
      testNumbers: [{ phoneNumber: '+447700900123', codeLength: 6, codeDigest: 'digest' }],
    };
    // perPhonePer10Minutes 2 and one unverified send per prefix: a trusted number takes its daily cap instead.
    for (let i = 0; i < 4; i++) expect(await slug(relay.run(request({ code: '1' })))).toBe('ok');
    expect(sent).toHaveLength(4);
    expect([...ports.counterItems.keys()].some((k) => k.includes('|prefixPerHour|'))).toBe(false);
    expect(await slug(relay.run(request({ to: '447700900123', code: '1' })))).toBe('phone-not-allowed');
    expect(sent).toHaveLength(4);
  });

  it('runs the fraud guard and spend limits: a blocked relay calls no provider and leaves no count', async () => {
    store = {
      ...store,
      fraudGuard: { ...store.fraudGuard, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 2 },
    };
    // Three numbers of one 9-digit prefix (+44740012...), then one of another prefix.
    for (const to of ['447400123456', '447400123457']) {
      expect(await slug(relay.run(request({ to, code: '1' })))).toBe('ok');
    }
    const counts = () => [...ports.counterItems].filter(([, n]) => n !== 0);
    const before = counts();
    const blocked = relay.run(request({ to: '447400123458', code: '1' }));
    await expect(blocked).rejects.toMatchObject({
      slug: 'send-blocked',
      extensions: { reason: 'prefix-velocity' },
    });
    expect(sent).toHaveLength(2);
    expect(counts()).toEqual(before);
    expect(emitted).toEqual(['send.blocked prefix-velocity']);
    expect(await slug(relay.run(request({ to: '447700123456', code: '1' })))).toBe('ok');

    // A daily budget of one message at the default price (0.05): the next relay is refused as store-budget.
    store = {
      ...store,
      fraudGuard: { ...store.fraudGuard, mode: 'off' },
      spendLimits: { ...store.spendLimits, dailyBudget: 0.05 },
    };
    expect(await slug(relay.run(request({ to: '447700123457', code: '1' })))).toBe('ok');
    const overBudget = relay.run(request({ to: '447700123458', code: '1' }));
    await expect(overBudget).rejects.toMatchObject({ extensions: { reason: 'store-budget' } });
    expect(sent).toHaveLength(4);
  });

  it('refuses another channel, a number of a country not allowed, and a deleted store, sending nothing', async () => {
    const voice = relay.run(request({ channel: 'voice', code: '1' }));
    await expect(voice).rejects.toMatchObject({
      slug: 'phone-not-allowed',
      extensions: { reason: 'channel' },
    });
    store = { ...store, allowedCountries: ['DE'] };
    expect(await slug(relay.run(request({ code: '1' })))).toBe('phone-not-allowed');
    expect(await slug(relay.run({ ...request({ code: '1' }), storeId: 'ids_gone' }))).toBe('unauthorized');
    expect(sent).toEqual([]);
    expect([...ports.counterItems.values()].every((n) => n === 0)).toBe(true);
  });

  it('sends once per event id; a failed send is handed back and may be retried', async () => {
    failNext = true;
    expect(await slug(relay.run(request({ code: '1', eventId: 'e1' })))).toBe('gateway-error');
    const first = await relay.run(request({ code: '1', eventId: 'e1' }));
    const again = await relay.run(request({ code: '1', eventId: 'e1' }));
    expect(sent).toHaveLength(1);
    expect(again).toEqual({ ...first, replayed: true });
    // The refused first attempt was refunded: the limit of 2 still allows one more.
    await relay.run(request({ code: '2', eventId: 'e2' }));
    expect(sent).toHaveLength(2);
  });

  it('a refused first attempt hands back its budget charge too (api.md: a refused attempt is refunded)', async () => {
    store = { ...store, spendLimits: { ...store.spendLimits, dailyBudget: 10 } };
    const spend = () =>
      [...ports.counterItems.entries()]
        .filter(([key]) => key.includes('|storeSpendPerDay|'))
        .reduce((sum, [, n]) => sum + n, 0);
    failNext = true;
    expect(await slug(relay.run(request({ code: '1' })))).toBe('gateway-error');
    expect(spend()).toBe(0);
    await relay.run(request({ code: '2' }));
    // One segment at the store's default price.
    expect(spend()).toBe(50_000);
  });
});

describe('hook secrets', () => {
  it('signs as the Standard Webhooks reference does (its published test vector)', () => {
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
    const signature = standardWebhooks.sign(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('keeps the previous secret for 24 hours after a rotation, then only the current one', () => {
    const secrets = rotated({ current: 'old' }, 'new', T0);
    expect(liveSecrets(secrets, T0 + SECRET_OVERLAP_MS - 1)).toEqual(['new', 'old']);
    expect(liveSecrets(secrets, T0 + SECRET_OVERLAP_MS)).toEqual(['new']);
  });

  it('checks a Standard Webhooks signature over the raw body within 5 minutes, any of several signatures', () => {
    const secret = `v1,whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const body = '{"sms":{"otp":"1"}}';
    const ts = T0 / 1000;
    const signature = standardWebhooks.sign(secret, 'msg_1', ts, body);
    const headers = { id: 'msg_1', timestamp: String(ts), signature: `v1,bm90IGl0 ${signature}` };
    expect(standardWebhookMatches(headers, body, [secret], T0, standardWebhooks)).toBe(true);
    expect(standardWebhookMatches(headers, body, [secret], T0 + 5 * 60_000 + 1_000, standardWebhooks)).toBe(
      false,
    );
    expect(standardWebhookMatches(headers, `${body} `, [secret], T0, standardWebhooks)).toBe(false);
    expect(standardWebhookMatches({ ...headers, id: 'msg_2' }, body, [secret], T0, standardWebhooks)).toBe(
      false,
    );
    expect(
      standardWebhookMatches(
        headers,
        body,
        [`v1,whsec_${Buffer.alloc(32, 2).toString('base64')}`],
        T0,
        standardWebhooks,
      ),
    ).toBe(false);
  });
});
