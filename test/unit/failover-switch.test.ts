import { describe, expect, it } from 'vitest';
import { failoverSwitchProblems } from '../../shared/domain/identity-stores/failover-switch.ts';

describe('the delivery failover switch', () => {
  it('refuses a delivery deadline where failover is not allowed, at its path', () => {
    expect(failoverSwitchProblems({ routing: { deliveryDeadlineSeconds: 30 } }, false)).toEqual([
      {
        path: 'routing.deliveryDeadlineSeconds',
        message: expect.stringContaining('deliveryFailoverAllowed'),
      },
    ]);
  });

  it('allows it where failover is allowed, and a store without a deadline anywhere', () => {
    expect(failoverSwitchProblems({ routing: { deliveryDeadlineSeconds: 30 } }, true)).toEqual([]);
    for (const settings of [{}, { routing: {} }, { routing: { deliveryDeadlineSeconds: null } }]) {
      expect(failoverSwitchProblems(settings, false)).toEqual([]);
    }
  });
});
