import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutboundGuard } from '../../shared/adapters/net/outbound-guard.ts';
import type { SendFailure, SmsSender } from '../../shared/ports/sms-sender.ts';
import { gatewayRecord } from '../support/gateway-record.ts';

/**
 * The SNS sender and the provider-text scrubber are imported on first use (a chunk of their own when
 * bundled). Were that import to fail deployed (a chunk missing from the asset), the send must still say
 * what happened: a provider's refusal stays a refusal of its kind (so an opted-out number is not tried
 * on the next gateway and its count is refunded), with no provider text; a sender that never loaded sent
 * nothing.
 */
const TO = '+447400123456';
const sms = { to: TO, body: 'Your code is 123456' };
const guard = new OutboundGuard({ allowLoopback: false, allowCidrs: [] });
const consoleSender: SmsSender = { send: async () => ({ providerMessageId: 'console' }) };

afterEach(() => {
  vi.doUnmock('../../shared/adapters/sms/provider-text.ts');
  vi.doUnmock('../../shared/adapters/sms/sns-sender.ts');
  vi.resetModules();
});

/**
 * senders.ts and the port from one module registry: after `vi.resetModules()` the port's `SendFailure`
 * is a new class, and the adapter wrapper recognises only its own.
 */
async function fresh() {
  const { SendFailure: Failure } = await import('../../shared/ports/sms-sender.ts');
  return { Failure, ...(await import('../../shared/adapters/sms/senders.ts')) };
}

async function failureOf(send: Promise<unknown>): Promise<SendFailure> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'a SendFailure').toMatchObject({ name: 'SendFailure' });
  return error as SendFailure;
}

describe('senders whose code loads on first use', () => {
  it('keeps the kind and outcome of a provider failure, and drops its text, when the scrubber cannot load', async () => {
    vi.resetModules();
    vi.doMock('../../shared/adapters/sms/provider-text.ts', () => {
      throw new Error('chunk missing');
    });
    const { Failure, sanitizedFailures } = await fresh();
    const echoing: SmsSender = {
      send: async () => {
        throw new Failure('opted-out', `${TO} has opted out of "${sms.body}"`, 'refused', `E-${TO}`);
      },
    };
    const error = await failureOf(
      sanitizedFailures(echoing).send(gatewayRecord({ type: 'twilio' }), { password: 's3cret' }, sms),
    );
    expect(error).toMatchObject({ kind: 'opted-out', outcome: 'refused' });
    expect(error.reason).not.toContain(TO.slice(1));
    expect(error.reason).not.toContain('123456');
    expect(error.providerCode).toBeUndefined();
  });

  it('scrubs as before once the scrubber loads', async () => {
    const { Failure, sanitizedFailures } = await fresh();
    const echoing: SmsSender = {
      send: async () => {
        throw new Failure('invalid-number', `bad number ${TO}`, 'refused');
      },
    };
    const error = await failureOf(
      sanitizedFailures(echoing).send(gatewayRecord({ type: 'twilio' }), {}, sms),
    );
    expect(error).toMatchObject({ kind: 'invalid-number', outcome: 'refused' });
    expect(error.reason).toContain('bad number');
    expect(error.reason).not.toContain(TO.slice(1));
  });

  it('answers a refused send, nothing sent, when the SNS sender cannot load, and loads it on a later send', async () => {
    vi.resetModules();
    let loads = 0;
    vi.doMock('../../shared/adapters/sms/sns-sender.ts', () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk missing');
      return { snsSender: () => ({ send: async () => ({ providerMessageId: 'sns-1' }) }) };
    });
    const { providerSenders } = await fresh();
    const sns = providerSenders({ timeoutMs: 1000, console: consoleSender, outbound: guard }).forType(
      'aws-sns',
    )!;
    const gateway = gatewayRecord({ type: 'aws-sns', hasPassword: false });
    const error = await failureOf(sns.send(gateway, {}, sms));
    expect(error).toMatchObject({ kind: 'unavailable', outcome: 'refused' });
    // The failed load is not kept: the next send imports the module again.
    vi.resetModules();
    await expect(sns.send(gateway, {}, sms)).resolves.toEqual({ providerMessageId: 'sns-1' });
    expect(loads).toBe(2);
  });
});
