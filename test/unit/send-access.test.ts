import { describe, expect, it } from 'vitest';
import { routes, WORKERS } from '../../shared/routes.ts';

/**
 * A send records the gateway's health, and a change of health is an event (`gateway.opened`,
 * `gateway.closed`) put on the bus: a function that may send must also be allowed to publish, or its
 * health events fail with AccessDenied deployed (the number-replacement notifier's did).
 */
const SENDS_WITHOUT_HEALTH: Record<string, string> = {
  // GatewayTest sends with `{ health: false }`: an admin's test message never moves a gateway's health.
  'gateways-test': 'a test message records no health',
};

describe('functions that send', () => {
  it('may publish events, except those whose sends record no health', () => {
    const senders = [...routes, ...WORKERS].filter((f) => f.access.includes('sms:send'));
    expect(senders.map((f) => f.id)).toContain('replaced-number-notifier');
    for (const f of senders) {
      expect(f.access.includes('events:publish'), f.id).toBe(!(f.id in SENDS_WITHOUT_HEALTH));
    }
  });
});
