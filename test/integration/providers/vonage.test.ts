import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { vonage } from '../../../shared/adapters/sms/providers/vonage.ts';
import {
  adapterAgainstFakeProvider,
  expectCleanFailure,
  sendFailure,
} from '../../support/provider-adapter.ts';

// Follows Vonage's SMS API reference "Send an SMS" (POST https://rest.nexmo.com/sms/json) and the status table in "Troubleshooting SMS".
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new HttpProviderSender(http, httpApi(vonage)),
  { type: 'vonage', username: 'abcd1234', from: 'AcmeInc', path: '/sms/json' },
);

const send = (to = '+447700900123', body = 'Code 123456') =>
  sender.send(gateway(), { password: 'api-secret-0123' }, { to, body });

const failure = (status: string, errorText: string) => ({
  status: 200,
  body: { 'message-count': '1', messages: [{ to: '447700900123', status, 'error-text': errorText }] },
});

describe('Vonage adapter', () => {
  it('posts the documented form with the API key and secret in the body and returns the message-id', async () => {
    provider.reply({
      status: 200,
      body: {
        'message-count': '1',
        messages: [
          {
            to: '447700900123',
            'message-id': '0A0000000123ABCD1',
            status: '0',
            'remaining-balance': '3.14159265',
            'message-price': '0.03330000',
            network: '23410',
          },
        ],
      },
    });
    const result = await send();
    expect(result.providerMessageId).toBe('0A0000000123ABCD1');
    const request = lastRequest({
      url: '/sms/json',
      headers: { authorization: undefined, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      api_key: 'abcd1234',
      api_secret: 'api-secret-0123',
      from: 'AcmeInc',
      to: '447700900123',
      text: 'Code 123456',
    });
  });

  it('sends a numeric sender without the + and marks text outside the GSM alphabet as unicode', async () => {
    provider.reply({
      status: 200,
      body: { 'message-count': '1', messages: [{ status: '0', 'message-id': 'x1' }] },
    });
    await sender.send(
      { ...gateway(), from: '+447700900001' },
      { password: 's' },
      { to: '+447700900123', body: 'Код 123456' },
    );
    const form = new URLSearchParams(provider.requests.at(-1)!.body);
    expect(form.get('from')).toBe('447700900001');
    expect(form.get('type')).toBe('unicode');
    expect(form.get('text')).toBe('Код 123456');
  });

  it('fails the send when any part of a multi-part message is refused', async () => {
    provider.reply({
      status: 200,
      body: {
        'message-count': '2',
        messages: [
          { status: '0', 'message-id': 'part-1' },
          { status: '1', 'error-text': 'Throughput Rate Exceeded - please wait [ 30 ] and retry' },
        ],
      },
    });
    await expect(send()).rejects.toMatchObject({ kind: 'throttled' });
  });

  it.each([
    ['1', 'Throughput Rate Exceeded - please wait [ 30 ] and retry', 'throttled'],
    ['2', 'Missing from param', 'rejected'],
    ['3', 'Invalid to address: 447700900123', 'rejected'],
    ['4', 'Bad Credentials', 'auth'],
    ['5', 'Internal Error', 'unavailable'],
    ['6', 'Unroutable message - rejected', 'invalid-number'],
    ['7', 'Number barred.', 'invalid-number'],
    ['8', 'Partner Account Barred', 'auth'],
    ['9', 'Partner quota exceeded', 'rejected'],
    ['15', 'Illegal Sender Address - rejected', 'rejected'],
    ['29', 'Non White-listed Destination - rejected', 'rejected'],
    ['33', 'Number De-activated', 'invalid-number'],
  ] as const)('maps status %s to %s with a sanitized reason', async (status, errorText, kind) => {
    provider.reply(failure(status, errorText));
    await expectCleanFailure(send(), kind, `Vonage status ${status}`);
  });

  it.each([
    [401, 'auth'],
    [429, 'throttled'],
    [503, 'unavailable'],
  ] as const)('maps an HTTP %i answer to %s', async (status, kind) => {
    provider.reply({ status, body: { 'error-text': 'Service unavailable' } });
    const error = await sendFailure(send());
    expect(error).toMatchObject({ kind });
    expect(error.reason).toContain(`Vonage ${status}`);
  });

  it('rejects a 200 answer without any message status', async () => {
    provider.reply({ status: 200, body: { 'message-count': '0', messages: [] } });
    await expect(send()).rejects.toMatchObject({ kind: 'rejected' });
  });
});
