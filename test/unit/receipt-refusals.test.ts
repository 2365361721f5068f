import { describe, expect, it } from 'vitest';
import { ReceiveReceipt } from '../../shared/domain/deliveries/receive-receipt.ts';
import type { ReceiptKind } from '../../shared/domain/deliveries/receipt.ts';
import { FRESH_READ_INTERVAL_MS } from '../../shared/domain/fresh-reads.ts';
import { Unauthorized } from '../../shared/domain/errors.ts';
import { gatewayRecord } from '../support/gateway-record.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** api.md "Refusals are cheap", for `/callbacks`: forged receipts cost at most one fresh read a minute. */
describe('receipts with a wrong signature', () => {
  const clock = new ManualClock();
  const freshReads: string[] = [];
  const kind: ReceiptKind = {
    verify: (request, secret) => request.headers['x-signature'] === secret,
    parse: () => undefined,
  };
  const receipts = new ReceiveReceipt({
    directory: {
      connection: async (gatewayId, options) => {
        if (options?.fresh) freshReads.push(gatewayId);
        return {
          gateway: gatewayRecord({ id: gatewayId, type: 'custom-http' }),
          credentials: { callbackSecret: 'the-secret' },
        };
      },
    },
    history: {} as never,
    kinds: { 'custom-http': kind },
    events: { emit: () => undefined } as never,
    telemetry: { count: () => undefined, timing: () => undefined } as never,
    clock,
  });
  const forged = {
    url: 'https://x/callbacks/gw_1',
    rawBody: '',
    params: {},
    headers: { 'x-signature': 'forged' },
  };

  it('force one fresh read per gateway per interval, and are all refused', async () => {
    for (let i = 0; i < 100; i++) {
      await expect(receipts.receive('gw_1', forged)).rejects.toBeInstanceOf(Unauthorized);
    }
    expect(freshReads.filter((id) => id === 'gw_1')).toHaveLength(1);
    await expect(receipts.receive('gw_2', forged)).rejects.toBeInstanceOf(Unauthorized);
    expect(freshReads.filter((id) => id === 'gw_2')).toHaveLength(1);
    clock.advance(FRESH_READ_INTERVAL_MS);
    for (let i = 0; i < 10; i++) {
      await expect(receipts.receive('gw_1', forged)).rejects.toBeInstanceOf(Unauthorized);
    }
    expect(freshReads.filter((id) => id === 'gw_1')).toHaveLength(2);
  });

  it('still accept a rightly signed receipt', async () => {
    await expect(
      receipts.receive('gw_3', { ...forged, headers: { 'x-signature': 'the-secret' } }),
    ).resolves.toBeUndefined();
  });
});
