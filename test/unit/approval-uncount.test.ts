import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/approval-uncount/event.ts';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import { DeferredUncount } from '../../shared/domain/fraud/deferred-uncount.ts';
import {
  DEFAULT_FRAUD_GUARD,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { useContext } from '../../shared/runtime/context.ts';
import { unitContext } from '../support/unit-context.ts';
import { deferredUncount as deferredUncountFeature } from '../../shared/runtime/wiring/challenge-records.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/** The deployed un-count: verify leaves it to the `challenge.approved` consumer, which takes it off once. */
const T0 = Date.UTC(2026, 11, 1, 9);
const range = (i: number) => `+44741234${String(5000 + i).padStart(4, '0')}`;

let ends: Array<{ storeId: string; challengeId: string; status: string; at: string; attempts?: number }>;
let ports: MemoryChallengePorts;
let sent: OutboundSms[];
let store: IdentityStore;
let service: ChallengeService;
let uncount: DeferredUncount;

beforeEach(() => {
  ports = new MemoryChallengePorts();
  const clock = new ManualClock(T0);
  sent = [];
  store = storeFixture({
    fraudGuard: { ...DEFAULT_FRAUD_GUARD, prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 3 },
  });
  let seq = 0;
  service = new ChallengeService({
    challenges: ports.challenges,
    factors: ports.factors,
    ledger: ports.ledger,
    counters: ports.counters,
    stores: { get: async (id) => (id === store.id ? store : undefined) },
    delivery: {
      send: async (_store: IdentityStore, sms: OutboundSms) => {
        sent.push(sms);
        return { gatewayId: 'gw_1', gatewayType: 'console', providerMessageId: 'm' };
      },
    },
    notifier: { notify: async () => undefined },
    pepper: fixedPepper(Buffer.from('pepper')),
    clock,
    random: { bytes: (n) => Buffer.alloc(n, seq++ % 256), int: (max) => seq++ % max },
    telemetry: noTelemetry,
    approvalUncount: 'deferred',
  });
  ends = [];
  uncount = new DeferredUncount({
    challenges: ports.challenges,
    counters: ports.counters,
    history: {
      recordEnd: async (storeId, challengeId, end) => void ends.push({ storeId, challengeId, ...end }),
    },
    clock,
  });
});

/** Three unverified sends to the range: it is full. */
async function fillRange(): Promise<{ id: string }[]> {
  const challenges = [];
  for (let i = 1; i <= 3; i++) challenges.push(await service.verifyPhone(store.id, range(i)));
  return challenges;
}

const codeFor = (phone: string) => /(\d{6})/.exec(sent.filter((m) => m.to === phone).at(-1)?.body ?? '')?.[1];
const slug = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { slug?: string }) => e.slug ?? String(e),
  );

describe('DeferredUncount', () => {
  it('verify leaves the count; the approved event takes it off exactly once, however often it arrives', async () => {
    const challenges = await fillRange();
    expect(await slug(service.verifyPhone(store.id, range(4)))).toBe('send-blocked');

    const approved = await service.verify(store.id, challenges[0]!.id, codeFor(range(1))!);
    expect(approved.status).toBe('approved');
    // Deferred: the verify took nothing off.
    expect(await slug(service.verifyPhone(store.id, range(4)))).toBe('send-blocked');

    expect(await uncount.approved(store.id, challenges[0]!.id)).toBe('uncounted');
    expect(await slug(service.verifyPhone(store.id, range(4)))).toBe('ok');
    // The approval's ending for the challenge history is written here, not beside verify's answer.
    expect(ends).toEqual([
      {
        storeId: store.id,
        challengeId: challenges[0]!.id,
        status: 'approved',
        at: new Date(T0).toISOString(),
        attempts: 1,
      },
    ]);
    // A redelivered event changes nothing: the range is full again and stays so.
    expect(await uncount.approved(store.id, challenges[0]!.id)).toBe('already-uncounted');
    expect(await slug(service.verifyPhone(store.id, range(5)))).toBe('send-blocked');
  });

  it('parallel deliveries of one approval take it off once', async () => {
    const challenges = await fillRange();
    await service.verify(store.id, challenges[1]!.id, codeFor(range(2))!);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => uncount.approved(store.id, challenges[1]!.id)),
    );
    expect(outcomes.sort()).toEqual([
      'already-uncounted',
      'already-uncounted',
      'already-uncounted',
      'uncounted',
    ]);
    expect(await slug(service.verifyPhone(store.id, range(4)))).toBe('ok');
    expect(await slug(service.verifyPhone(store.id, range(5)))).toBe('send-blocked');
  });

  it('takes nothing off for a challenge that is not approved, of another store, or unknown', async () => {
    const challenges = await fillRange();
    await service.verify(store.id, challenges[2]!.id, codeFor(range(3))!);
    expect(await uncount.approved(store.id, challenges[0]!.id)).toBe('nothing-to-uncount');
    expect(await uncount.approved('ids_other', challenges[2]!.id)).toBe('nothing-to-uncount');
    expect(await uncount.approved(store.id, 'ch_unknown')).toBe('nothing-to-uncount');
    // Not approved, of another store, unknown: no ending is written for any of them.
    expect(ends).toEqual([]);
    expect(await slug(service.verifyPhone(store.id, range(4)))).toBe('send-blocked');
  });
});

describe('the approval-uncount function', () => {
  it('hands the bus event’s storeId and challengeId to the use case, ignores a malformed event, and throws on failure (Lambda retries)', async () => {
    const calls: [string, string][] = [];
    let fail = false;
    const deferredUncount = {
      approved: async (storeId: string, challengeId: string) => {
        calls.push([storeId, challengeId]);
        if (fail) throw new Error('throttled');
        return 'uncounted' as const;
      },
    };
    const ctx = unitContext();
    deferredUncountFeature.provide(ctx, deferredUncount as unknown as DeferredUncount);
    useContext(ctx);
    try {
      const event = (data: unknown) =>
        ({
          version: '0',
          id: 'e1',
          'detail-type': 'challenge.approved',
          source: 'sms-mfa',
          account: '000000000000',
          time: new Date(T0).toISOString(),
          region: 'eu-west-1',
          resources: [],
          detail: { id: 'evt_1', type: 'challenge.approved', timestamp: new Date(T0).toISOString(), data },
        }) as never;
      const context = { functionName: 'approval-uncount', awsRequestId: 'r1' } as never;
      await handler(event({ storeId: 'ids_a', challengeId: 'ch_1', maskedPhone: '+44*******456' }), context);
      await handler(event({ storeId: 'ids_a' }), context);
      expect(calls).toEqual([['ids_a', 'ch_1']]);
      fail = true;
      await expect(handler(event({ storeId: 'ids_a', challengeId: 'ch_2' }), context)).rejects.toThrow(
        'throttled',
      );
    } finally {
      useContext(undefined);
    }
  });
});
