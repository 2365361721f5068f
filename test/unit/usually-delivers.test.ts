import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usuallyDelivers } from '../../shared/domain/routing/delivery-counts.ts';
import type { GatewayCountryStats } from '../../shared/ports/delivery-stats.ts';

const item = (accepted: number, delivered: number): GatewayCountryStats => ({
  country: 'GB',
  gatewayId: 'gw',
  accepted,
  delivered,
  failed: 0,
  learnAccepted: 0,
  learnApproved: 0,
});

describe('usuallyDelivers (api.md "Reroutes are bounded")', () => {
  it.each([
    {
      accepted: 20,
      delivered: 10,
      minSamples: 20,
      expected: true,
      why: 'exactly half over exactly minSamples',
    },
    { accepted: 20, delivered: 9, minSamples: 20, expected: false, why: 'just under half' },
    {
      accepted: 19,
      delivered: 19,
      minSamples: 20,
      expected: false,
      why: 'every one delivered, too few samples',
    },
    { accepted: 21, delivered: 11, minSamples: 20, expected: true, why: 'an odd count, more than half' },
    { accepted: 21, delivered: 10, minSamples: 20, expected: false, why: 'an odd count, less than half' },
    { accepted: 1, delivered: 1, minSamples: 1, expected: true, why: 'the smallest minSamples' },
  ])('$why: $expected', ({ accepted, delivered, minSamples, expected }) => {
    expect(usuallyDelivers(item(accepted, delivered), minSamples)).toBe(expected);
  });

  it('never with no messages counted for that country and gateway', () => {
    expect(usuallyDelivers(undefined, 1)).toBe(false);
  });

  it('is the ratio rule for any counts: messages still awaiting a receipt count as not delivered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (a, b, minSamples) => {
          const [delivered, accepted] = a <= b ? [a, b] : [b, a];
          const judged = usuallyDelivers(item(accepted, delivered), minSamples);
          expect(judged).toBe(accepted >= minSamples && delivered / accepted >= 0.5);
          // More delivered never turns a yes into a no.
          if (judged && delivered < accepted) {
            expect(usuallyDelivers(item(accepted, delivered + 1), minSamples)).toBe(true);
          }
        },
      ),
    );
  });
});
