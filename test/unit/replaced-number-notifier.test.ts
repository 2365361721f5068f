import { describe, expect, it } from 'vitest';
import { ReplacementNotice, REPLACEMENT_NOTICE } from '../../shared/domain/sending/replacement-notice.ts';
import { GatewayError } from '../../shared/domain/errors.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';

const store = { id: 'ids_1' } as IdentityStore;

describe('ReplacementNotice', () => {
  it("sends the notice through the store's gateways", async () => {
    const sent: Array<{ to: string; body: string }> = [];
    const notice = new ReplacementNotice(
      { get: async () => store },
      {
        send: async (_s, sms) => (
          sent.push(sms),
          { gatewayId: 'gw', gatewayType: 'console', providerMessageId: 'm' }
        ),
      },
      noTelemetry,
    );
    expect(await notice.send('ids_1', '+447400123456')).toBe(true);
    expect(sent).toEqual([{ to: '+447400123456', body: REPLACEMENT_NOTICE }]);
  });

  it('swallows a failed send (the number change stands) and a deleted store', async () => {
    const failing = new ReplacementNotice(
      { get: async () => store },
      { send: async () => Promise.reject(new GatewayError('down')) },
      noTelemetry,
    );
    expect(await failing.send('ids_1', '+447400123456')).toBe(false);
    const gone = new ReplacementNotice(
      { get: async () => undefined },
      { send: async () => ({ gatewayId: 'gw', gatewayType: 'console', providerMessageId: 'm' }) },
      noTelemetry,
    );
    expect(await gone.send('ids_1', '+447400123456')).toBe(false);
  });
});
