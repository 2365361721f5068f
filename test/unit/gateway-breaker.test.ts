import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HEALTH_WINDOW_MS,
  InProcessGatewayHealth,
  OPEN_FOR_MS,
  transportOutcome,
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
