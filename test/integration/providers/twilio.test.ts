import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { twilio } from '../../../shared/adapters/sms/providers/twilio.ts';
import { adapterAgainstFakeProvider, sendFailure } from '../../support/provider-adapter.ts';

// Follows Twilio's "Create a Message resource" reference (Programmable Messaging API, 2010-04-01).
const sid = 'AC0123456789abcdef0123456789abcdef';
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new HttpProviderSender(http, httpApi(twilio)),
  {
    type: 'twilio',
    accountId: sid,
    from: '+15005550006',
    path: '/2010-04-01/Accounts/{accountId}/Messages.json',
  },
);

describe('Twilio adapter', () => {
  it('posts the documented form with Basic auth and returns the message sid', async () => {
    provider.reply({ status: 201, body: { sid: 'SM1234567890abcdef1234567890abcdef', status: 'queued' } });
    const result = await sender.send(
      gateway(),
      { password: 'auth-token' },
      { to: '+447400123456', body: 'Code 123456' },
    );
    expect(result.providerMessageId).toBe('SM1234567890abcdef1234567890abcdef');
    const request = lastRequest({
      url: `/2010-04-01/Accounts/${sid}/Messages.json`,
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:auth-token`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+447400123456',
      From: '+15005550006',
      Body: 'Code 123456',
    });
  });

  it('uses the API key SID as user and a Messaging Service SID as sender when given', async () => {
    provider.reply({ status: 201, body: { sid: 'SMx' } });
    await sender.send(
      { ...gateway(), username: 'SKkey', from: 'MG0001' },
      { password: 'key-secret' },
      { to: '+447400123456', body: 'x' },
    );
    const request = provider.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('SKkey:key-secret').toString('base64')}`);
    expect(new URLSearchParams(request.body).get('MessagingServiceSid')).toBe('MG0001');
    expect(new URLSearchParams(request.body).has('From')).toBe(false);
  });

  it.each([
    [
      400,
      { code: 21211, message: "The 'To' number +447400123456 is not a valid phone number.", status: 400 },
      'invalid-number',
    ],
    [401, { code: 20003, message: 'Authenticate', status: 401 }, 'auth'],
    [429, { code: 20429, message: 'Too Many Requests', status: 429 }, 'throttled'],
    [500, { code: 20500, message: 'Internal Server Error', status: 500 }, 'unavailable'],
  ] as const)('maps HTTP %i to %s with a sanitized reason', async (status, body, kind) => {
    provider.reply({ status, body });
    const error = await sendFailure(
      sender.send(gateway(), { password: 'auth-token' }, { to: '+447400123456', body: 'x' }),
    );
    expect(error.kind).toBe(kind);
    expect(error.reason).not.toContain('447400123456');
    expect(error.reason).toContain('Twilio');
  });

  it('turns a provider that does not answer in time into unavailable', async () => {
    provider.reply({ status: 201, body: { sid: 'late' }, delayMs: 3000 });
    const error = await sendFailure(
      sender.send(gateway(), { password: 't' }, { to: '+447400123456', body: 'x' }),
    );
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(error.reason).toContain('no answer in time');
  });
});
