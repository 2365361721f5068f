import { fixedPepper } from '../support/fixed-pepper.ts';
import { testCodeDigest } from '../../shared/domain/codes/code.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import { GatewayError, PhoneNotAllowed } from '../../shared/domain/errors.ts';
import {
  DEFAULT_CODE_POLICY,
  DEFAULT_SEND_LIMITS,
  type IdentityStore,
  DEFAULT_FRAUD_GUARD,
} from '../../shared/domain/identity-stores/identity-store.ts';
import type { DeliveryOptions } from '../../shared/domain/sending/sms-delivery.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/** The challenge use cases against in-memory fakes of their ports: every branch, no DynamoDB. */
const T0 = Date.UTC(2026, 11, 1, 9);
const A = '+447400123456';
const B = '+447400123457';
const C = '+447400123458';

let ports: MemoryChallengePorts;
let clock: ManualClock;
let sent: OutboundSms[];
/** The gateway order each delivery was asked to follow (the send plan's). */
let orders: (readonly string[] | undefined)[];
let failNext: Error | undefined;
let notices: string[];
let store: IdentityStore;
let service: ChallengeService;

function makeStore(overrides: Partial<IdentityStore> = {}): IdentityStore {
  return storeFixture({ codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 30 }, ...overrides });
}

beforeEach(() => {
  ports = new MemoryChallengePorts();
  clock = new ManualClock(T0);
  sent = [];
  orders = [];
  notices = [];
  failNext = undefined;
  store = makeStore();
  let seq = 0;
  service = new ChallengeService({
    ...ports.serviceStorage(() => store),
    delivery: {
      send: async (_store: IdentityStore, sms: OutboundSms, plan?: DeliveryOptions) => {
        if (failNext) {
          const error = failNext;
          failNext = undefined;
          await plan?.ledger?.refund();
          throw error;
        }
        sent.push(sms);
        orders.push(plan?.order);
        return { gatewayId: 'gw_1', gatewayType: 'console', providerMessageId: 'm' };
      },
    },
    notifier: { notify: async (_storeId, phone) => void notices.push(phone) },
    pepper: fixedPepper(Buffer.from('pepper')),
    clock,
    random: { bytes: (n) => Buffer.alloc(n, seq++ % 256), int: (max) => seq++ % max },
    telemetry: noTelemetry,
  });
});

const lastCode = () => /(\d{6})/.exec(sent.at(-1)?.body ?? '')?.[1] ?? '';
const slug = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { slug?: string }) => e.slug ?? String(e),
  );

async function activate(userId: string, phone: string) {
  const { challenge } = await service.enroll(store.id, userId, { phoneNumber: phone });
  await service.verify(store.id, challenge.id, lastCode());
  clock.advance(31_000);
}

async function approvedSignIn(userId: string): Promise<string> {
  const challenge = await service.authenticate(store.id, userId);
  await service.verify(store.id, challenge.id, lastCode());
  return challenge.id;
}

describe('issuing', () => {
  it('a new challenge counts the per-phone windows, one store shard and the prefix and country hours, then sends', async () => {
    const view = await service.verifyPhone(store.id, A);
    expect(view).toMatchObject({
      purpose: 'verify-phone',
      attemptsRemaining: 5,
      maskedPhone: '+44*******456',
    });
    expect(sent).toHaveLength(1);
    expect(orders).toEqual([['gw_1']]);
    expect([...ports.counterItems.values()]).toEqual([1, 1, 1, 1, 1]);
    expect([...ports.counterItems.keys()].filter((k) => /prefixPerHour|countryPerHour/.test(k))).toEqual([
      expect.stringContaining('|prefixPerHour|4474001|'),
      expect.stringContaining('|countryPerHour|GBshard'),
    ]);
  });

  it('an approval takes the sends off the unverified counts; a blocked send leaves no count and sends nothing', async () => {
    store = {
      ...store,
      fraudGuard: { ...store.fraudGuard, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 1 },
    };
    const first = await service.verifyPhone(store.id, A);
    expect(await slug(service.verifyPhone(store.id, B))).toBe('send-blocked');
    expect(sent).toHaveLength(1);
    const prefixCount = () =>
      [...ports.counterItems.entries()].filter(([k]) => k.includes('prefixPerHour')).map(([, n]) => n);
    expect(prefixCount()).toEqual([1]);
    await service.verify(store.id, first.id, lastCode());
    expect(prefixCount()).toEqual([0]);
    await service.verifyPhone(store.id, B);
    expect(sent).toHaveLength(2);
  });

  it('asking again for a live challenge is a resend: same id, every code valid, inside the interval 429', async () => {
    const first = await service.verifyPhone(store.id, A);
    const firstCode = lastCode();
    expect(await slug(service.verifyPhone(store.id, A))).toBe('rate-limited');
    clock.advance(31_000);
    const again = await service.verifyPhone(store.id, A);
    expect(again.id).toBe(first.id);
    expect((await service.verify(store.id, first.id, firstCode)).status).toBe('approved');
  });

  it('at most 5 sends per challenge', async () => {
    for (let i = 0; i < 5; i++) {
      await service.verifyPhone(store.id, A);
      clock.advance(31_000);
    }
    expect(await slug(service.verifyPhone(store.id, A))).toBe('rate-limited');
  });

  it('a resend after an approval starts a new challenge', async () => {
    const first = await service.verifyPhone(store.id, A);
    await service.verify(store.id, first.id, lastCode());
    clock.advance(31_000);
    expect((await service.verifyPhone(store.id, A)).id).not.toBe(first.id);
  });

  it('per-phone limits refuse without a send; the store-wide limit withdraws the code and refunds', async () => {
    store = makeStore({ sendLimits: { perPhonePer10Minutes: 1, perPhonePerDay: 10, perStorePerDay: 2 } });
    await service.verifyPhone(store.id, A);
    clock.advance(31_000);
    expect(await slug(service.verifyPhone(store.id, A))).toBe('rate-limited');
    await service.verifyPhone(store.id, B);
    expect(await slug(service.verifyPhone(store.id, C))).toBe('rate-limited');
    expect(sent.map((m) => m.to)).toEqual([A, B]);
    const perC = [...ports.counterItems.entries()].filter(([key]) => key.includes(C));
    expect(perC.every(([, n]) => n === 0)).toBe(true);
    const killed = [...ports.challengeItems.values()].find((c) => c.phone === C);
    expect(killed && Object.keys(killed.codes)).toEqual([]);
  });

  it('when no gateway takes the message the challenge dies and the user may ask again at once', async () => {
    failNext = new GatewayError('down');
    expect(await slug(service.verifyPhone(store.id, A))).toBe('gateway-error');
    const dead = [...ports.challengeItems.values()][0]!;
    expect(dead.attempts).toBe(dead.maxAttempts);
    expect((await service.verifyPhone(store.id, A)).id).not.toBe(dead.id);
  });

  it('a refused number stops the send with phone-not-allowed', async () => {
    failNext = new PhoneNotAllowed('opted out', { reason: 'opted-out' });
    expect(await slug(service.verifyPhone(store.id, A))).toBe('phone-not-allowed');
  });

  it('SMS disabled, an invalid number and a deleted store are refused before anything is written', async () => {
    store = makeStore({ smsAuth: { ...makeStore().smsAuth, enabled: false } });
    expect(await slug(service.verifyPhone(store.id, A))).toBe('sms-disabled');
    store = makeStore();
    expect(await slug(service.verifyPhone(store.id, '+449090901234'))).toBe('phone-not-allowed');
    expect(await slug(service.verifyPhone('ids_gone', A))).toBe('unauthorized');
    expect(ports.challengeItems.size).toBe(0);
  });
});

describe('enrollment and replacement', () => {
  it('needs a number, refuses the active number again, and without approval another one', async () => {
    expect(await slug(service.enroll(store.id, 'u', {}))).toBe('validation-failed');
    await activate('u', A);
    expect(await slug(service.enroll(store.id, 'u', { phoneNumber: A }))).toBe('conflict');
    expect(await slug(service.enroll(store.id, 'u', { phoneNumber: B }))).toBe('forbidden');
  });

  it('an approval is consumed by one replacement; the same new number again is a resend', async () => {
    await activate('u', A);
    const approval = await approvedSignIn('u');
    const first = await service.enroll(store.id, 'u', { phoneNumber: B, approvedChallengeId: approval });
    clock.advance(31_000);
    const again = await service.enroll(store.id, 'u', { phoneNumber: B });
    expect(again.challenge.id).toBe(first.challenge.id);
    expect(await slug(service.enroll(store.id, 'u', { phoneNumber: C, approvedChallengeId: approval }))).toBe(
      'forbidden',
    );
  });

  it('refuses approvals that are too old, of another user, not approved, or bound to another number', async () => {
    await activate('u', A);
    await activate('v', B);
    const old = await approvedSignIn('u');
    clock.advance(11 * 60_000);
    expect(await slug(service.enroll(store.id, 'u', { phoneNumber: C, approvedChallengeId: old }))).toBe(
      'forbidden',
    );
    const others = await approvedSignIn('v');
    expect(await slug(service.enroll(store.id, 'u', { phoneNumber: C, approvedChallengeId: others }))).toBe(
      'forbidden',
    );
    clock.advance(31_000);
    const pending = await service.authenticate(store.id, 'u');
    expect(
      await slug(service.enroll(store.id, 'u', { phoneNumber: C, approvedChallengeId: pending.id })),
    ).toBe('forbidden');
  });

  it('a resend to an authorised new number whose enrollment died needs a new approval', async () => {
    await activate('u', A);
    const approval = await approvedSignIn('u');
    const started = await service.enroll(store.id, 'u', { phoneNumber: B, approvedChallengeId: approval });
    for (let i = 0; i < 5; i++) await slug(service.verify(store.id, started.challenge.id, '000000'));
    clock.advance(31_000);
    expect(await slug(service.enroll(store.id, 'u', { phoneNumber: B }))).toBe('forbidden');
  });

  it('a verified replacement closes the old sign-in challenge and notifies the old number', async () => {
    await activate('u', A);
    const approval = await approvedSignIn('u');
    clock.advance(31_000);
    const open = await service.authenticate(store.id, 'u');
    const openCode = lastCode();
    const started = await service.enroll(store.id, 'u', { phoneNumber: B, approvedChallengeId: approval });
    await service.verify(store.id, started.challenge.id, lastCode());
    expect(notices).toEqual([A]);
    expect(await slug(service.verify(store.id, open.id, openCode))).toBe('challenge-expired');
    expect(await service.factor(store.id, 'u')).toMatchObject({
      status: 'active',
      maskedPhone: '+44*******457',
    });
  });

  it('a newer enrollment to another number closes the pending one', async () => {
    const first = await service.enroll(store.id, 'u', { phoneNumber: A });
    const firstCode = lastCode();
    clock.advance(31_000);
    await service.enroll(store.id, 'u', { phoneNumber: B });
    expect(await slug(service.verify(store.id, first.challenge.id, firstCode))).toBe('challenge-expired');
  });

  it('removing the factor closes its live challenges', async () => {
    await activate('u', A);
    const open = await service.authenticate(store.id, 'u');
    const code = lastCode();
    await service.removeFactor(store.id, 'u');
    expect(await slug(service.verify(store.id, open.id, code))).toBe('challenge-expired');
    expect(await slug(service.removeFactor(store.id, 'u'))).toBe('not-found');
    expect(await slug(service.factor(store.id, 'u'))).toBe('not-found');
  });
});

describe('verification', () => {
  it('counts wrong codes, kills the challenge at maxAttempts, and answers used for a second right code', async () => {
    const challenge = await service.verifyPhone(store.id, A);
    const code = lastCode();
    const wrong = await service
      .verify(store.id, challenge.id, '000000')
      .catch((e: { extensions: unknown }) => e.extensions);
    expect(wrong).toEqual({ attemptsRemaining: 4 });
    expect((await service.verify(store.id, challenge.id, code)).phoneNumber).toBe(A);
    expect(await slug(service.verify(store.id, challenge.id, code))).toBe('challenge-used');
    const other = await service.verifyPhone(store.id, B);
    const otherCode = lastCode();
    for (let i = 0; i < 5; i++) await slug(service.verify(store.id, other.id, '000000'));
    expect(await slug(service.verify(store.id, other.id, otherCode))).toBe('too-many-attempts');
    expect(await slug(service.verify(store.id, 'ch_unknown', code))).toBe('not-found');
  });

  it('an expired code is 410; 10 failures across challenges lock the factor for 15 minutes', async () => {
    await activate('u', A);
    const signIn = await service.authenticate(store.id, 'u');
    const code = lastCode();
    clock.advance(301_000);
    expect(await slug(service.verify(store.id, signIn.id, code))).toBe('challenge-expired');
    const answers: string[] = [];
    for (let round = 0; round < 5; round++) {
      const challenge = await service.authenticate(store.id, 'u');
      answers.push(await slug(service.verify(store.id, challenge.id, '000000')));
      answers.push(await slug(service.verify(store.id, challenge.id, '000000')));
      clock.advance(301_000);
    }
    const last = answers.at(-1);
    expect(answers.slice(0, 9).every((answer) => answer === 'invalid-code')).toBe(true);
    expect(last).toBe('too-many-attempts');
    expect(await slug(service.authenticate(store.id, 'u'))).toBe('too-many-attempts');
    clock.advance(14 * 60_000);
    expect(await slug(service.authenticate(store.id, 'u'))).toBe('ok');
  });
});

describe('a pumping attack', () => {
  it('1,000 sends over 100 numbers of one range, between 200 sign-ups elsewhere that verify: the range gets at most its limit, every sign-up succeeds', async () => {
    store = {
      ...store,
      fraudGuard: { ...DEFAULT_FRAUD_GUARD, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 20 },
      codePolicy: { ...store.codePolicy, resendIntervalSeconds: 0 },
      sendLimits: { ...DEFAULT_SEND_LIMITS, perPhonePer10Minutes: 1000, perPhonePerDay: 1000 },
    };
    const pumped = (i: number) => `+44741234${String(5000 + (i % 100)).padStart(4, '0')}`;
    const legit = (i: number) => `+4475${String(10_000_000 + i * 7919).slice(0, 8)}`;
    const outcomes: Record<string, number> = {};
    let signIns = 0;
    for (let i = 0; i < 1000; i++) {
      const outcome = await slug(service.verifyPhone(store.id, pumped(i)));
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (i % 5 === 0) {
        const phone = legit(i / 5);
        const challenge = await service.verifyPhone(store.id, phone);
        const code = /(\d{6})/.exec(sent.filter((m) => m.to === phone).at(-1)?.body ?? '')?.[1] ?? '';
        if ((await service.verify(store.id, challenge.id, code)).status === 'approved') signIns++;
      }
      clock.advance(1000);
    }
    const toRange = sent.filter((m) => m.to.startsWith('+44741234')).length;
    expect(toRange).toBeLessThanOrEqual(20);
    expect(toRange).toBe(outcomes.ok);
    // Refused sends reach no provider: the other refusals are per-challenge resend limits of live codes.
    expect(outcomes['send-blocked']).toBeGreaterThan(900);
    expect(Object.keys(outcomes).sort()).toEqual(['ok', 'rate-limited', 'send-blocked']);
    expect(signIns).toBe(200);
  });
});

describe('test and trusted numbers (number-class.ts)', () => {
  const TEST = '+447700900123';
  const counted = (limit: string) =>
    [...ports.counterItems.entries()].filter(([k]) => k.includes(`|${limit}|`)).map(([, n]) => n);

  it('a test number: nothing sent, only the per-phone windows counted, its fixed code approves', async () => {
    store = makeStore({
      testNumbers: [
        {
          phoneNumber: TEST,
          codeLength: 6,
          codeDigest: testCodeDigest(Buffer.from('pepper'), store.id, '246810'),
        },
      ],
    });
    const view = await service.verifyPhone(store.id, TEST.slice(1));
    expect(sent).toEqual([]);
    expect([...ports.counterItems.keys()].map((k) => k.split('|')[1])).toEqual([
      'perPhonePer10Minutes',
      'perPhonePerDay',
    ]);
    expect(await slug(service.verify(store.id, view.id, '123456'))).toBe('invalid-code');
    expect(await service.verify(store.id, view.id, '246810')).toMatchObject({
      status: 'approved',
      phoneNumber: TEST,
    });
  });

  it('a trusted number: 100 users a day whatever the per-phone limits, no fraud-guard count, the store-wide day counted', async () => {
    store = makeStore({
      trustedNumbers: [A],
      sendLimits: { ...DEFAULT_SEND_LIMITS, perPhonePer10Minutes: 1, perPhonePerDay: 1 },
      fraudGuard: { ...DEFAULT_FRAUD_GUARD, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 1 },
    });
    // A second apart (ids here come from the clock and a short cycle of fake random bytes).
    for (let i = 0; i < 100; i++) {
      await service.enroll(store.id, `desk-${i}`, { phoneNumber: A });
      clock.advance(1000);
    }
    expect(sent).toHaveLength(100);
    expect(await slug(service.enroll(store.id, 'desk-100', { phoneNumber: A }))).toBe('rate-limited');
    expect(counted('trustedPerDay')).toEqual([100]);
    expect(counted('perPhonePer10Minutes')).toEqual([]);
    expect(counted('prefixPerHour')).toEqual([]);
    expect(counted('perStorePerDay').reduce((a, b) => a + b, 0)).toBe(100);
    // An ordinary number of the same prefix is guarded as before: one unverified send, then blocked.
    await service.verifyPhone(store.id, B);
    expect(await slug(service.verifyPhone(store.id, C))).toBe('send-blocked');
    // The next UTC day the trusted number has its 100 again.
    clock.advance(86_400_000);
    await service.enroll(store.id, 'desk-next-day', { phoneNumber: A });
    expect(sent).toHaveLength(102);
  });
});
