import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { sinch } from '../../../shared/adapters/sms/providers/sinch.ts';
import { adapterAgainstFakeProvider, expectCleanFailure } from '../../support/provider-adapter.ts';

// Follows Sinch's SMS REST API reference "Batches › Send" (POST /xms/v1/{service_plan_id}/batches) and "HTTP Status Codes for the SMS REST API".
const servicePlanId = 'jd63jf88477ll123ab4567cd89012ef3';
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new HttpProviderSender(http, httpApi(sinch)),
  { type: 'sinch', accountId: servicePlanId, from: '+447700900001', path: '/xms/v1/{accountId}/batches' },
);

const send = () =>
  sender.send(gateway(), { password: 'api-token' }, { to: '+447700900123', body: 'Code 123456' });

describe('Sinch adapter', () => {
  it('posts the documented batch with a Bearer token and returns the batch id', async () => {
    provider.reply({
      status: 201,
      body: {
        id: '01FC66621XXXXX119Z8PMV1QPQ',
        to: ['+447700900123'],
        from: '+447700900001',
        canceled: false,
        body: 'Code 123456',
        type: 'mt_text',
        created_at: '2026-01-01T00:00:00.000Z',
        modified_at: '2026-01-01T00:00:00.000Z',
        delivery_report: 'none',
      },
    });
    const result = await send();
    expect(result.providerMessageId).toBe('01FC66621XXXXX119Z8PMV1QPQ');
    const request = lastRequest({
      url: `/xms/v1/${servicePlanId}/batches`,
      headers: { authorization: 'Bearer api-token', 'content-type': 'application/json' },
    });
    expect(JSON.parse(request.body)).toEqual({
      from: '+447700900001',
      to: ['+447700900123'],
      body: 'Code 123456',
    });
  });

  it.each([
    [
      400,
      { code: 'syntax_invalid_parameter_format', text: 'Invalid MSISDN format in to: +447700900123' },
      'invalid-number',
    ],
    [400, { code: 'syntax_constraint_violation', text: 'body must not be null' }, 'rejected'],
    [400, { code: 'syntax_invalid_json', text: 'Unexpected character' }, 'rejected'],
    [401, { code: 'unauthorized', text: 'Unauthorized' }, 'auth'],
    [403, { code: 'illegal_number_type', text: 'Illegal number type for +447700900123' }, 'invalid-number'],
    [403, { code: 'blocked_account', text: 'Account is blocked' }, 'auth'],
    [429, { code: 'too_many_requests', text: 'Too many requests' }, 'throttled'],
    [503, { code: 'service_unavailable', text: 'Service unavailable' }, 'unavailable'],
  ] as const)('maps HTTP %i %j to %s with a sanitized reason', async (status, body, kind) => {
    provider.reply({ status, body });
    await expectCleanFailure(send(), kind, `Sinch ${status} ${body.code}`);
  });

  it('maps a 401 with an empty body to auth', async () => {
    provider.reply({ status: 401, body: '' });
    await expect(send()).rejects.toMatchObject({ kind: 'auth' });
  });
});
