import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import { decideCancel } from '../../shared/domain/challenges/cancel-challenge.ts';
import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import {
  DEFAULT_CODE_POLICY,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import type { EventPort } from '../../shared/ports/events.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { fuzzParameters } from '../support/fuzz-settings.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/** The cancel use case against in-memory fakes (api.md "Support desk", "Cancel"). */
const T0 = Date.UTC(2026, 11, 6, 9);
const A = '+447400123456';

let ports: MemoryChallengePorts;
let clock: ManualClock;
let sent: OutboundSms[];
let events: { type: string; data: Record<string, unknown> }[];
let store: IdentityStore;

function serviceOn(challenges = ports.challenges): ChallengeService {
  const emitted: EventPort = {
    emit: (type, data) => void events.push({ type, data: data as Record<string, unknown> }),
  } as EventPort;
  let seq = 0;
  return new ChallengeService({
    ...ports.serviceStorage(() => store),
    challenges,
    delivery: {
      send: async (_store, sms) => {
        sent.push(sms);
        return { gatewayId: 'gw_1', gatewayType: 'console', providerMessageId: 'm' };
      },
    },
    notifier: { notify: async () => undefined },
    pepper: fixedPepper(Buffer.from('pepper')),
    clock,
    random: { bytes: (n) => Buffer.alloc(n, seq++ % 256), int: (max) => seq++ % max },
    telemetry: noTelemetry,
    events: emitted,
  });
}

beforeEach(() => {
  ports = new MemoryChallengePorts();
  clock = new ManualClock(T0);
  sent = [];
  events = [];
  store = storeFixture({ codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 30 } });
});

const lastCode = () => /(\d{6})/.exec(sent.at(-1)?.body ?? '')?.[1] ?? '';
const slug = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { slug?: string }) => e.slug ?? String(e),
  );
const storeKey = () => ({ storeId: store.id, applicationId: null });

async function signedInChallenge(service: ChallengeService, userId = 'u1') {
  const { challenge } = await service.enroll(store.id, userId, { phoneNumber: A });
  await service.verify(store.id, challenge.id, lastCode());
  clock.advance(31_000);
  const origin = { clientIp: null, applicationId: 'app_1', source: null };
  return service.authenticate(store.id, userId, origin, { id: 'app_1', mfaPolicy: null });
}

describe('cancel', () => {
  it('ends an open challenge once: challenge.failed canceled, then its code is expired', async () => {
    const service = serviceOn();
    const challenge = await signedInChallenge(service);
    const code = lastCode();
    await service.cancel(storeKey(), challenge.id);
    await service.cancel(storeKey(), challenge.id);
    expect(await slug(service.verify(store.id, challenge.id, code))).toBe('challenge-expired');
    const failed = events.filter((e) => e.type === 'challenge.failed' && e.data.challengeId === challenge.id);
    expect(failed.map((e) => e.data.reason)).toEqual(['canceled']);
  });

  it('refuses an approved challenge (409), another store and another application (404)', async () => {
    const service = serviceOn();
    const challenge = await signedInChallenge(service);
    expect(await slug(service.cancel({ storeId: 'ids_other', applicationId: null }, challenge.id))).toBe(
      'not-found',
    );
    expect(await slug(service.cancel({ storeId: store.id, applicationId: 'app_2' }, challenge.id))).toBe(
      'not-found',
    );
    expect(await slug(service.cancel({ storeId: store.id, applicationId: 'app_1' }, 'ch_none'))).toBe(
      'not-found',
    );
    await service.verify(store.id, challenge.id, lastCode());
    expect(await slug(service.cancel({ storeId: store.id, applicationId: 'app_1' }, challenge.id))).toBe(
      'challenge-used',
    );
  });

  it('changes nothing on a challenge that already ended unapproved', async () => {
    const service = serviceOn();
    const challenge = await signedInChallenge(service);
    clock.advance(store.codePolicy.ttlSeconds * 1000 + 1);
    await service.cancel(storeKey(), challenge.id);
    expect(ports.challengeItems.get(challenge.id)?.canceledAt).toBeUndefined();
    expect(events.some((e) => e.data.reason === 'canceled')).toBe(false);
  });
});

const open = (attempts: number): ChallengeRecord => ({
  id: 'ch_1',
  storeId: 'ids_1',
  userId: 'u',
  purpose: 'authenticate',
  phone: A,
  codes: { h: T0 + 300_000 },
  tried: {},
  triedAt: {},
  attempts,
  maxAttempts: 5,
  sends: 1,
  lastSentAt: T0,
  expiresAt: T0 + 300_000,
  createdAt: new Date(T0).toISOString(),
  factorFailuresAtIssue: 0,
  factorLastUsedAt: null,
});

describe('the cancel/verify race decision (property)', () => {
  it('decideCancel: an approved challenge is never canceled; an unapproved open one always is', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 4 }),
        fc.option(fc.nat({ max: 4 }), { nil: undefined }),
        fc.integer({ min: -1000, max: 400_000 }),
        (attempts, approvedAt, elapsed) => {
          const challenge = open(attempts + 1);
          if (approvedAt !== undefined) {
            challenge.tried = { h: Math.min(approvedAt, attempts) };
            challenge.triedAt = { h: T0 + 1 };
          }
          const decision = decideCancel(challenge, { storeId: 'ids_1', applicationId: null }, T0 + elapsed);
          if (approvedAt !== undefined) expect(decision).toBe('used');
          else expect(decision).toBe(elapsed < 300_000 && attempts + 1 < 5 ? 'cancel' : 'ended');
        },
      ),
      fuzzParameters(500, 5_000),
    );
  });

  it('a cancel and a right-code verify in any interleaving: never both succeed, one of them always does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.nat({ max: 3 }), async (s, wrongFirst) => {
        ports = new MemoryChallengePorts();
        clock = new ManualClock(T0);
        sent = [];
        events = [];
        const setup = serviceOn();
        const challenge = await signedInChallenge(setup);
        const code = lastCode();
        for (let i = 0; i < wrongFirst; i++) await slug(setup.verify(store.id, challenge.id, '000000'));
        // Every storage call of both requests is a step the scheduler orders.
        const base = ports.challenges;
        const scheduled = {
          ...base,
          get: s.scheduleFunction(base.get),
          attempt: s.scheduleFunction(base.attempt),
          cancel: s.scheduleFunction(base.cancel),
        };
        const service = serviceOn(scheduled);
        const outcomes = Promise.all([
          slug(service.cancel(storeKey(), challenge.id)),
          slug(service.verify(store.id, challenge.id, code)),
        ]);
        await s.waitAll();
        const [canceled, verified] = await outcomes;
        const cancelWon =
          canceled === 'ok' && ports.challengeItems.get(challenge.id)?.canceledAt !== undefined;
        expect(cancelWon && verified === 'ok').toBe(false);
        expect(cancelWon || verified === 'ok').toBe(true);
        if (verified === 'ok') expect(canceled).toBe('challenge-used');
        else expect(verified).toBe('challenge-expired');
      }),
      fuzzParameters(200, 20_000),
    );
  });
});
