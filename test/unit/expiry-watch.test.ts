import { describe, expect, it } from 'vitest';
import { ExpiryWatch } from '../../shared/adapters/events/expiry-watch.ts';
import type { ExpiryCheck } from '../../shared/domain/challenges/report-expiry.ts';
import { newEvent, type DomainEvent } from '../../shared/domain/events/event.ts';
import { ManualClock } from '../support/manual-clock.ts';

const T0 = Date.UTC(2026, 11, 1, 9);
const random = { bytes: (n: number) => Buffer.alloc(n, 7), int: () => 0 };

describe('the local expiry watcher', () => {
  it('publishes first, then looks at each new challenge when it is due until the use case is done', async () => {
    const clock = new ManualClock(T0);
    const published: DomainEvent[] = [];
    const watch = new ExpiryWatch({ publish: async (event) => void published.push(event) }, clock);
    const answers: Record<string, ExpiryCheck[]> = {
      ch_a: [{ kind: 'later', at: T0 + 300_000 }, { kind: 'reported' }],
      ch_b: [{ kind: 'done' }],
    };
    const looked: string[] = [];
    watch.reportWith(async (id) => {
      looked.push(id);
      const answer = answers[id]!.shift();
      if (!answer) throw new Error(`asked again about ${id}`);
      return answer;
    });
    const created = (challengeId: string) =>
      newEvent('challenge.created', { storeId: 'ids_1', challengeId }, clock, random);
    await watch.publish(created('ch_a'));
    await watch.publish(created('ch_b'));
    await watch.publish(newEvent('code.sent', { storeId: 'ids_1', challengeId: 'ch_c' }, clock, random));
    expect(published.map((e) => e.type)).toEqual(['challenge.created', 'challenge.created', 'code.sent']);

    await watch.sweep();
    expect(looked).toEqual(['ch_a', 'ch_b']);
    clock.advance(299_000);
    await watch.sweep();
    expect(looked).toEqual(['ch_a', 'ch_b']);
    clock.advance(1_000);
    await Promise.all([watch.sweep(), watch.sweep()]);
    await watch.sweep();
    expect(looked).toEqual(['ch_a', 'ch_b', 'ch_a']);
  });

  it('tries a failed look again on the next pass', async () => {
    const clock = new ManualClock(T0);
    const watch = new ExpiryWatch({ publish: async () => undefined }, clock);
    let calls = 0;
    watch.reportWith(async () => {
      if (++calls === 1) throw new Error('DynamoDB Local busy');
      return { kind: 'reported' };
    });
    await watch.publish(
      newEvent('challenge.created', { storeId: 'ids_1', challengeId: 'ch_a' }, clock, random),
    );
    await watch.sweep();
    await watch.sweep();
    await watch.sweep();
    expect(calls).toBe(2);
  });
});
