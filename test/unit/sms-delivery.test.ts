import { describe, expect, it } from 'vitest';
import { GatewayError, PhoneNotAllowed } from '../../shared/domain/errors.ts';
import { type IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import { Deadline } from '../../shared/domain/sending/deadline.ts';
import { SmsDelivery, type AttemptLedger } from '../../shared/domain/sending/sms-delivery.ts';
import {
  SendFailure,
  type SendFailureKind,
  type SendOutcome,
  type SmsSender,
} from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { gatewayRecord } from '../support/gateway-record.ts';
import { storeFixture } from '../support/store-fixture.ts';

const sms = { to: '+447400123456', body: 'Code 123456' };
type Step = 'ok' | [SendFailureKind, SendOutcome?] | 'hang' | 'throw';

/** A delivery over gateways gw_1..gw_n whose adapter answers each attempt per gateway as scripted. */
function setUp(script: Record<string, Step[]>, options: { countAllowed?: number; timeoutMs?: number } = {}) {
  const attempts: string[] = [];
  const reads: string[] = [];
  const ledgerCalls: string[] = [];
  let allowed = options.countAllowed ?? Infinity;
  const sender: SmsSender = {
    send: async (gateway, credentials, _sms, sendOptions) => {
      attempts.push(`${gateway.id}:${credentials.password ?? ''}`);
      const step = script[gateway.id]!.shift() ?? 'ok';
      if (step === 'ok') return { providerMessageId: `msg-${gateway.id}` };
      if (step === 'throw') throw new TypeError('adapter bug');
      if (step === 'hang') {
        return new Promise((_resolve, reject) =>
          sendOptions?.signal?.addEventListener('abort', () =>
            reject(new SendFailure('unavailable', 'no answer in time')),
          ),
        );
      }
      throw new SendFailure(step[0], `${step[0]} from ${gateway.id}`, step[1]);
    },
  };
  const delivery = new SmsDelivery(
    {
      connection: async (id, connectOptions) => {
        reads.push(`${id}${connectOptions?.fresh ? ':fresh' : ''}`);
        return script[id]
          ? {
              gateway: gatewayRecord({ id, name: id, type: 'twilio' }),
              credentials: { password: connectOptions?.fresh ? 'new' : 'old' },
            }
          : undefined;
      },
      gateway: async (id) => (script[id] ? gatewayRecord({ id, name: id, type: 'twilio' }) : undefined),
    },
    { forType: () => sender },
    noTelemetry,
    options.timeoutMs ?? 5000,
  );
  const ledger: AttemptLedger = {
    count: async () => {
      ledgerCalls.push('count');
      return allowed-- > 0;
    },
    refund: async () => void ledgerCalls.push('refund'),
  };
  const store: IdentityStore = storeFixture({
    name: 's',
    smsAuth: {
      fallbackGatewayIds: Object.keys(script).filter((id) => id !== 'gw_1'),
      messageTemplate: '[Code]',
    },
  });
  const send = (deadline?: Deadline, order?: string[]) =>
    delivery.send(store, sms, {
      ledger,
      firstCounted: true,
      ...(deadline ? { deadline } : {}),
      ...(order ? { order } : {}),
    });
  return { send, attempts, reads, ledgerCalls, delivery };
}

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('SmsDelivery', () => {
  it("the send plan's read of the linked gateways takes their records, never their credentials", async () => {
    const { delivery, reads } = setUp({ gw_1: ['ok'], gw_2: ['ok'] });
    const linked = await delivery.linkedGateways(['gw_1', 'gw_2', 'gw_gone']);
    expect(Object.keys(linked.channels)).toEqual(['gw_1', 'gw_2']);
    expect([...linked.prices.keys()]).toEqual(['gw_1', 'gw_2']);
    expect(reads).toEqual([]);
  });

  it('the first attempt is the one the issuing write counted: nothing more is counted on success', async () => {
    const t = setUp({ gw_1: ['ok'] });
    expect(await t.send()).toMatchObject({
      gatewayId: 'gw_1',
      gatewayType: 'twilio',
      providerMessageId: 'msg-gw_1',
    });
    expect(t.ledgerCalls).toEqual([]);
  });

  it('a refusal is refunded; the fallback is counted before it is tried', async () => {
    const t = setUp({ gw_1: [['rejected']], gw_2: ['ok'] });
    expect((await t.send()).gatewayId).toBe('gw_2');
    expect(t.ledgerCalls).toEqual(['refund', 'count']);
    expect(t.attempts).toEqual(['gw_1:old', 'gw_2:old']);
  });

  it("the plan's gateway order replaces the linked order: failover follows it, unnamed gateways are not tried", async () => {
    const { send, attempts } = setUp({ gw_1: ['ok'], gw_2: [['unavailable', 'refused']], gw_3: ['ok'] });
    expect(await send(undefined, ['gw_2', 'gw_3'])).toMatchObject({ gatewayId: 'gw_3' });
    expect(attempts).toEqual(['gw_2:old', 'gw_3:old']);
  });

  it('an unknown outcome keeps its count and is never repeated on the same gateway', async () => {
    const t = setUp({ gw_1: [['unavailable']], gw_2: ['ok'] });
    await t.send();
    expect(t.attempts).toEqual(['gw_1:old', 'gw_2:old']);
    expect(t.ledgerCalls).toEqual(['count']);
  });

  it('an auth refusal re-reads the credentials once and tries the same gateway again', async () => {
    const t = setUp({ gw_1: [['auth'], ['auth']], gw_2: ['ok'] });
    await t.send();
    expect(t.attempts).toEqual(['gw_1:old', 'gw_1:new', 'gw_2:old']);
    expect(t.reads).toEqual(['gw_1', 'gw_1:fresh', 'gw_2']);
    expect(t.ledgerCalls).toEqual(['refund', 'count', 'refund', 'count']);
  });

  it('an invalid or opted-out number stops the search with phone-not-allowed', async () => {
    const invalid = setUp({ gw_1: [['invalid-number']], gw_2: ['ok'] });
    expect(await error(invalid.send())).toBeInstanceOf(PhoneNotAllowed);
    expect(invalid.attempts).toEqual(['gw_1:old']);
    const optedOut = setUp({ gw_1: [['opted-out']], gw_2: ['ok'] });
    expect(await error(optedOut.send())).toMatchObject({
      slug: 'phone-not-allowed',
      extensions: { reason: 'opted-out' },
    });
    expect(optedOut.attempts).toEqual(['gw_1:old']);
  });

  it('when the limits allow no further attempt, no further provider is asked', async () => {
    const t = setUp({ gw_1: [['unavailable']], gw_2: ['ok'] }, { countAllowed: 0 });
    const failure = await error(t.send());
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as Error).message).toContain('send limits');
    expect(t.attempts).toEqual(['gw_1:old']);
  });

  it('every gateway failing is a gateway error naming each reason; an unavailable gateway is skipped', async () => {
    const t = setUp({ gw_1: [['unavailable']], gw_2: [['rejected']] });
    const failure = (await error(t.send())) as GatewayError;
    expect(failure.message).toMatch(/gw_1: unavailable from gw_1.*gw_2: rejected from gw_2/);
    expect(t.ledgerCalls).toEqual(['count', 'refund']);
  });

  it('an adapter bug is an unknown outcome, not a crash', async () => {
    const t = setUp({ gw_1: ['throw'], gw_2: ['ok'] });
    expect((await t.send()).gatewayId).toBe('gw_2');
    expect(t.ledgerCalls).toEqual(['count']);
  });

  it('the deadline aborts the attempt in flight and starts none after it', async () => {
    const t = setUp({ gw_1: ['hang'], gw_2: ['hang'], gw_3: ['ok'] }, { timeoutMs: 10_000 });
    const started = performance.now();
    const failure = await error(t.send(new Deadline(300)));
    expect(failure).toBeInstanceOf(GatewayError);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(t.attempts).toEqual(['gw_1:old']);
    expect(t.ledgerCalls).toEqual([]);
  });

  it('the per-attempt timeout gives up on a hanging gateway and moves on within the deadline', async () => {
    const t = setUp({ gw_1: ['hang'], gw_2: ['ok'] }, { timeoutMs: 100 });
    expect((await t.send(new Deadline(5000))).gatewayId).toBe('gw_2');
  });

  it('a gateway that no longer exists hands its count to the next one', async () => {
    const t = setUp({ gw_2: ['ok'] });
    expect((await t.send()).gatewayId).toBe('gw_2');
    expect(t.ledgerCalls).toEqual([]);
  });
});
