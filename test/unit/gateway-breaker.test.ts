import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HEALTH_BUCKET_MS,
  HEALTH_WINDOW_MS,
  InProcessGatewayHealth,
  OPEN_FOR_MS,
  TRIAL_CLAIM_MS,
  bucketOf,
  sharedHealthOf,
  transitionAfter,
  transportOutcome,
  trialClaimable,
  windowCounts,
  type BucketCount,
} from '../../shared/domain/gateways/gateway-breaker.ts';
import { SendFailure, type SendFailureKind } from '../../shared/ports/sms-sender.ts';

const recorded = () => {
  const events: { type: string; data: unknown }[] = [];
  return {
    events,
    health: new InProcessGatewayHealth({ emit: (type, data) => events.push({ type, data }) }),
  };
};

describe('transport outcomes', () => {
  it('count transport failures only; refusals of a number or a message count nothing', () => {
    const kinds: Record<SendFailureKind, 'failure' | undefined> = {
      unavailable: 'failure',
      unreachable: 'failure',
      auth: 'failure',
      'invalid-number': undefined,
      'opted-out': undefined,
      throttled: undefined,
      rejected: undefined,
    };
    for (const [kind, outcome] of Object.entries(kinds)) {
      expect(transportOutcome(new SendFailure(kind as SendFailureKind, 'x'))).toBe(outcome);
    }
    expect(transportOutcome(undefined)).toBe('success');
  });
});

describe('the breaker', () => {
  it('opens exactly when failures are at least 5 and at least half of the attempts in the window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(20), fc.nat(20), async (failures, successes) => {
        const { health } = recorded();
        const t0 = 1_000_000;
        const outcomes: ('success' | 'failure')[] = [
          ...Array<'success'>(successes).fill('success'),
          ...Array<'failure'>(failures).fill('failure'),
        ];
        {
          for (const outcome of outcomes) await health.record('gw', outcome, t0);
          const state = (await health.health(['gw'], t0)).get('gw')!;
          // Opening is judged on each outcome as it comes: once the threshold is crossed it stays open.
          let open = false;
          let f = 0;
          outcomes.forEach((outcome, i) => {
            if (outcome === 'failure') f++;
            if (f >= 5 && f * 2 >= i + 1) open = true;
          });
          expect(state.state).toBe(open ? 'open' : 'closed');
          expect(state.attempts).toBe(failures + successes);
        }
      }),
      { seed: 26, numRuns: 60 },
    );
  });

  it('forgets failures older than 60 s, and moves open → half-open after 60 s without a clock of its own', async () => {
    const { health, events } = recorded();
    for (let i = 0; i < 4; i++) await health.record('gw', 'failure', 0);
    await health.record('gw', 'failure', HEALTH_WINDOW_MS);
    expect((await health.health(['gw'], HEALTH_WINDOW_MS)).get('gw')).toEqual({
      state: 'closed',
      failures: 1,
      attempts: 1,
    });
    for (let i = 0; i < 4; i++) await health.record('gw', 'failure', HEALTH_WINDOW_MS);
    expect(events.map((e) => e.type)).toEqual(['gateway.opened']);
    const at = (ms: number) => health.health(['gw'], HEALTH_WINDOW_MS + ms).then((m) => m.get('gw')!.state);
    expect(await at(OPEN_FOR_MS - 1)).toBe('open');
    expect(await at(OPEN_FOR_MS)).toBe('half-open');
  });

  it('gives the half-open trial to exactly one caller', async () => {
    const { health } = recorded();
    for (let i = 0; i < 5; i++) await health.record('gw', 'failure', 0);
    expect(await health.claimTrial('gw', OPEN_FOR_MS - 1)).toBe(false);
    const claims = await Promise.all(Array.from({ length: 5 }, () => health.claimTrial('gw', OPEN_FOR_MS)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});

/** Outcomes at their times, as the shared buckets hold them. */
function bucketsOf(outcomes: readonly { at: number; failure: boolean }[]): BucketCount[] {
  const buckets = new Map<number, BucketCount>();
  for (const { at, failure } of outcomes) {
    const bucket = bucketOf(at);
    const count = buckets.get(bucket) ?? { bucket, attempts: 0, failures: 0 };
    count.attempts++;
    if (failure) count.failures++;
    buckets.set(bucket, count);
  }
  return [...buckets.values()];
}

describe('the shared breaker (deployed) rules', () => {
  it('counts at least every outcome of the last 60 s and none older than 60 s plus one bucket', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 200_000 }), failure: fc.boolean() }), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 200_000 }),
        (outcomes, now) => {
          const past = outcomes.filter((o) => o.at <= now);
          const counts = windowCounts({}, bucketsOf(past), now);
          const within = (ms: number) => past.filter((o) => o.at > now - ms);
          expect(counts.attempts).toBeGreaterThanOrEqual(within(HEALTH_WINDOW_MS).length);
          expect(counts.failures).toBeGreaterThanOrEqual(
            within(HEALTH_WINDOW_MS).filter((o) => o.failure).length,
          );
          expect(counts.attempts).toBeLessThanOrEqual(within(HEALTH_WINDOW_MS + HEALTH_BUCKET_MS).length);
        },
      ),
      { seed: 2626, numRuns: 300 },
    );
  });

  it('after a close, counts nothing of the bucket it closed in or before', () => {
    const closedAt = 1_000_000 + 3_000;
    const buckets = bucketsOf([
      ...Array.from({ length: 6 }, () => ({ at: 1_000_000, failure: true })),
      { at: closedAt + HEALTH_BUCKET_MS, failure: true },
    ]);
    expect(windowCounts({ closedAt }, buckets, closedAt + HEALTH_BUCKET_MS)).toEqual({
      failures: 1,
      attempts: 1,
    });
    expect(windowCounts({}, buckets, closedAt + HEALTH_BUCKET_MS)).toEqual({ failures: 7, attempts: 7 });
  });

  it('derives the same states as one process: open for 60 s from openedAt, then half-open', () => {
    const openedAt = 5_000_000;
    const state = (now: number) => sharedHealthOf({ openedAt }, [], now).state;
    expect(sharedHealthOf({}, [], openedAt)).toEqual({ state: 'closed', failures: 0, attempts: 0 });
    expect(state(openedAt)).toBe('open');
    expect(state(openedAt + OPEN_FOR_MS - 1)).toBe('open');
    expect(state(openedAt + OPEN_FOR_MS)).toBe('half-open');
    expect(sharedHealthOf({ openedAt }, [], openedAt).openedAt).toBe(new Date(openedAt).toISOString());
  });

  it('lets a trial be claimed only while half-open and unclaimed, or claimed longer ago than TRIAL_CLAIM_MS', () => {
    const openedAt = 5_000_000;
    const halfOpen = openedAt + OPEN_FOR_MS;
    expect(trialClaimable({}, halfOpen)).toBe(false);
    expect(trialClaimable({ openedAt }, halfOpen - 1)).toBe(false);
    expect(trialClaimable({ openedAt }, halfOpen)).toBe(true);
    expect(trialClaimable({ openedAt, trialClaimedAt: halfOpen }, halfOpen + TRIAL_CLAIM_MS - 1)).toBe(false);
    expect(trialClaimable({ openedAt, trialClaimedAt: halfOpen }, halfOpen + TRIAL_CLAIM_MS)).toBe(true);
  });

  it('opens a closed gateway on a failure that crosses the threshold; only the own trial closes or reopens', () => {
    const open = { openedAt: 1, trialClaimedAt: 2 };
    const crossing = { failures: 5, attempts: 10 };
    expect(transitionAfter({ record: {}, counts: crossing, outcome: 'failure', ownTrial: false })).toBe(
      'open',
    );
    expect(
      transitionAfter({
        record: {},
        counts: { failures: 5, attempts: 11 },
        outcome: 'failure',
        ownTrial: false,
      }),
    ).toBe(undefined);
    expect(
      transitionAfter({
        record: {},
        counts: { failures: 4, attempts: 4 },
        outcome: 'failure',
        ownTrial: false,
      }),
    ).toBe(undefined);
    // A success never opens, whatever the counts say (they were crossed by an earlier failure's judge).
    expect(transitionAfter({ record: {}, counts: crossing, outcome: 'success', ownTrial: false })).toBe(
      undefined,
    );
    expect(transitionAfter({ record: open, counts: crossing, outcome: 'failure', ownTrial: false })).toBe(
      undefined,
    );
    expect(transitionAfter({ record: open, counts: crossing, outcome: 'success', ownTrial: false })).toBe(
      undefined,
    );
    expect(transitionAfter({ record: open, counts: crossing, outcome: 'failure', ownTrial: true })).toBe(
      'reopen',
    );
    expect(transitionAfter({ record: open, counts: crossing, outcome: 'success', ownTrial: true })).toBe(
      'close',
    );
  });
});
