// Follows Infobip's "Send SMS message" reference (SMS API, POST /sms/2/text/advanced) and its response status codes.
import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { infobip } from '../../../shared/adapters/sms/providers/infobip.ts';
import { adapterAgainstFakeProvider, sendFailure } from '../../support/provider-adapter.ts';

const apiKey = '003026bbc133714df1834b8638bb496e-8f4b3d9a-e931-478d-a994-28a725159ab9';
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new HttpProviderSender(http, httpApi(infobip)),
  { type: 'infobip', from: 'InfoSMS', path: '/sms/2/text/advanced' },
);
const send = (body = 'Code 123456') =>
  sender.send(gateway(), { password: apiKey }, { to: '+447400123456', body });

const accepted = {
  bulkId: '2034072219640523072',
  messages: [
    {
      messageId: '2250be2d4219-3af1-78856-aabe-1362af1edfd2',
      status: {
        groupId: 1,
        groupName: 'PENDING',
        id: 26,
        name: 'PENDING_ACCEPTED',
        description: 'Message sent to next instance',
      },
      to: '447400123456',
    },
  ],
};

const rejectedWith = (id: number, name: string, description: string) => ({
  bulkId: '2034072219640523073',
  messages: [
    {
      messageId: '2250be2d4219-3af1-78856-aabe-1362af1edfd3',
      status: { groupId: 5, groupName: 'REJECTED', id, name, description },
      to: '447400123456',
    },
  ],
});

const requestError = (messageId: string, text: string) => ({
  requestError: { serviceException: { messageId, text } },
});

describe('Infobip adapter', () => {
  it('posts the documented JSON with the App API key header and returns the messageId', async () => {
    provider.reply({ status: 200, body: accepted });
    const result = await send();
    expect(result.providerMessageId).toBe('2250be2d4219-3af1-78856-aabe-1362af1edfd2');
    const request = lastRequest({
      url: '/sms/2/text/advanced',
      headers: {
        authorization: `App ${apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
    });
    expect(JSON.parse(request.body)).toEqual({
      messages: [{ destinations: [{ to: '447400123456' }], from: 'InfoSMS', text: 'Code 123456' }],
    });
  });

  it('leaves out the optional sender when the gateway has none', async () => {
    provider.reply({ status: 200, body: accepted });
    await sender.send({ ...gateway(), from: null }, { password: apiKey }, { to: '+447400123456', body: 'x' });
    expect(JSON.parse(provider.requests.at(-1)!.body)).toEqual({
      messages: [{ destinations: [{ to: '447400123456' }], text: 'x' }],
    });
  });

  it('adds the send path to a bare account base URL', async () => {
    provider.reply({ status: 200, body: accepted });
    await sender.send(
      { ...gateway(), url: provider.url },
      { password: apiKey },
      { to: '+447400123456', body: 'x' },
    );
    expect(provider.requests.at(-1)!.url).toBe('/sms/2/text/advanced');
  });

  it.each([
    [14, 'REJECTED_DESTINATION', 'Destination address +447400123456 is blocklisted', 'invalid-number'],
    [52, 'REJECTED_DESTINATION', 'Invalid destination address', 'invalid-number'],
    [8, 'REJECTED_PREFIX_MISSING', 'Number prefix missing', 'invalid-number'],
    [10, 'REJECTED_DND', 'Destination is on the DND list', 'invalid-number'],
    [51, 'MISSING_TO', 'Missing destination', 'invalid-number'],
    [12, 'REJECTED_NOT_ENOUGH_CREDITS', 'Not enough credits', 'rejected'],
    [11, 'REJECTED_SOURCE', 'Sender ID not registered', 'rejected'],
    [19, 'REJECTED_ROUTE_NOT_AVAILABLE', 'Route not available', 'rejected'],
    [20, 'REJECTED_FLOODING_FILTER', 'Flooding filter', 'throttled'],
    [21, 'REJECTED_SYSTEM_ERROR', 'System error', 'unavailable'],
  ] as const)('maps a 200 with status %i %s (REJECTED group) to %s', async (id, name, description, kind) => {
    provider.reply({ status: 200, body: rejectedWith(id, name, description) });
    const error = await sendFailure(send());
    expect(error.kind).toBe(kind);
    expect(error.reason).toContain('Infobip REJECTED');
    expect(error.reason).toContain(name);
    expect(error.reason).not.toContain('447400123456');
    expect(error.reason).not.toContain('123456');
  });

  it.each([
    [400, requestError('BAD_REQUEST', 'Invalid destination address: +447400123456'), 'rejected'],
    [401, requestError('UNAUTHORIZED', 'Invalid login details'), 'auth'],
    [403, requestError('FORBIDDEN', 'Forbidden'), 'auth'],
    [429, requestError('TOO_MANY_REQUESTS', 'Too many requests'), 'throttled'],
    [500, requestError('GENERAL_ERROR', 'Something went wrong. Please contact support.'), 'unavailable'],
  ] as const)(
    'maps HTTP %i with a requestError to %s with a sanitized reason',
    async (status, body, kind) => {
      provider.reply({ status, body });
      const error = await sendFailure(send());
      expect(error.kind).toBe(kind);
      expect(error.reason).toContain(`Infobip ${status} ${body.requestError.serviceException.messageId}`);
      expect(error.reason).not.toContain('447400123456');
      expect(error.reason).not.toContain(apiKey);
    },
  );

  it('treats a non-JSON gateway error as unavailable', async () => {
    provider.reply({
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await sendFailure(send('x'));
    expect(error.kind).toBe('unavailable');
    expect(error.reason).toContain('Infobip 502');
  });
});
