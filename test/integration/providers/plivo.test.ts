import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { plivo } from '../../../shared/adapters/sms/providers/plivo.ts';
import { adapterAgainstFakeProvider, expectCleanFailure } from '../../support/provider-adapter.ts';

// Follows Plivo's Messaging API "Send a message" (POST /v1/Account/{auth_id}/Message/), "API responses" and "Destination Number Validation".
const authId = 'MAXXXXXXXXXXXXXXXXXX';
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new HttpProviderSender(http, httpApi(plivo)),
  { type: 'plivo', accountId: authId, from: '+14155550100', path: '/v1/Account/{accountId}/Message/' },
);

const send = () =>
  sender.send(gateway(), { password: 'auth-token' }, { to: '+447700900123', body: 'Code 123456' });

describe('Plivo adapter', () => {
  it('posts the documented JSON with Basic auth and returns the first message uuid', async () => {
    provider.reply({
      status: 202,
      body: {
        api_id: 'db342550-7f1d-11e1-8ea7-1231380bc196',
        message: 'message(s) queued',
        message_uuid: ['db3ce55a-7f1d-11e1-8ea7-1231380bc196'],
      },
    });
    const result = await send();
    expect(result.providerMessageId).toBe('db3ce55a-7f1d-11e1-8ea7-1231380bc196');
    const request = lastRequest({
      url: `/v1/Account/${authId}/Message/`,
      headers: {
        authorization: `Basic ${Buffer.from(`${authId}:auth-token`).toString('base64')}`,
        'content-type': 'application/json',
      },
    });
    expect(JSON.parse(request.body)).toEqual({
      src: '14155550100',
      dst: '447700900123',
      text: 'Code 123456',
    });
  });

  it('passes an alphanumeric sender ID unchanged', async () => {
    provider.reply({ status: 202, body: { message: 'message(s) queued', message_uuid: ['u1'] } });
    await sender.send({ ...gateway(), from: 'ACME' }, { password: 't' }, { to: '+447700900123', body: 'x' });
    expect(JSON.parse(provider.requests.at(-1)!.body)).toMatchObject({ src: 'ACME' });
  });

  it.each([
    [400, { api_id: 'a1', error: '447700900123 is not a valid phone number' }, 'invalid-number'],
    [400, { api_id: 'a2', error: '447700900123 is not an SMS enabled phone number' }, 'invalid-number'],
    [400, { api_id: 'a3', error: 'src parameter not present' }, 'rejected'],
    [401, { api_id: 'a4', error: 'authentication failed' }, 'auth'],
    [429, { api_id: 'a5', error: 'too many requests' }, 'throttled'],
    [500, { api_id: 'a6', error: 'server error' }, 'unavailable'],
  ] as const)('maps HTTP %i %j to %s with a sanitized reason', async (status, body, kind) => {
    provider.reply({ status, body });
    await expectCleanFailure(send(), kind, `Plivo ${status}`);
  });

  it('rejects a 202 answer without a message uuid', async () => {
    provider.reply({ status: 202, body: { api_id: 'a7', message: 'message(s) queued', message_uuid: [] } });
    await expect(send()).rejects.toMatchObject({ kind: 'rejected' });
  });
});
