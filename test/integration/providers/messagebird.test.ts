// Follows MessageBird's (Bird) "Send outbound SMS" reference (SMS Messaging API, POST /messages) and its API errors.
import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { messagebird } from '../../../shared/adapters/sms/providers/messagebird.ts';
import {
  adapterAgainstFakeProvider,
  expectCleanFailure,
  sendFailure,
} from '../../support/provider-adapter.ts';

const accessKey = 'live_gshuPaZoeEG6ovbc8M79w0QyM';
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new HttpProviderSender(http, httpApi(messagebird)),
  { type: 'messagebird', from: 'YourName', path: '/messages' },
);
const send = (body = 'Code 123456') =>
  sender.send(gateway(), { password: accessKey }, { to: '+447400123456', body });

const created = {
  id: 'e8077d803532c0b5937c639b60216938',
  href: 'https://rest.messagebird.com/messages/e8077d803532c0b5937c639b60216938',
  direction: 'mt',
  type: 'sms',
  originator: 'YourName',
  body: 'Code 123456',
  reference: null,
  validity: null,
  gateway: null,
  typeDetails: {},
  datacoding: 'plain',
  mclass: 1,
  scheduledDatetime: null,
  createdDatetime: '2016-05-03T14:26:57+00:00',
  recipients: {
    totalCount: 1,
    totalSentCount: 1,
    totalDeliveredCount: 0,
    totalDeliveryFailedCount: 0,
    items: [{ recipient: 447400123456, status: 'sent', statusDatetime: '2016-05-03T14:26:57+00:00' }],
  },
};

const errors = (...list: { code: number; description: string; parameter: string | null }[]) => ({
  errors: list,
});

describe('MessageBird adapter', () => {
  it('posts the documented JSON with the AccessKey header and returns the message id', async () => {
    provider.reply({ status: 201, body: created });
    const result = await send();
    expect(result.providerMessageId).toBe('e8077d803532c0b5937c639b60216938');
    const request = lastRequest({
      url: '/messages',
      headers: {
        authorization: `AccessKey ${accessKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
    });
    expect(JSON.parse(request.body)).toEqual({
      originator: 'YourName',
      recipients: ['447400123456'],
      body: 'Code 123456',
    });
  });

  const TRIAL_NOTE =
    'no (correct) recipients found. Note: during your test period you can only send messages to your own number (+447400123456).';
  it.each([
    [401, 'auth', 2, 'Request not allowed (incorrect access_key)', 'access_key'],
    [422, 'invalid-number', 9, 'no (correct) recipients found', 'recipients'],
    [422, 'invalid-number', 9, TRIAL_NOTE, 'recipient'],
    [422, 'invalid-number', 10, 'recipient +447400123456 is invalid', 'recipients'],
    [422, 'invalid-number', 21, 'Bad request: recipients', 'recipients'],
    [422, 'rejected', 9, 'originator is required', 'originator'],
    [422, 'rejected', 25, 'Not enough balance', null],
    [404, 'rejected', 98, 'API not found', null],
    [429, 'throttled', 21, 'Too many requests', null],
    [500, 'unavailable', 99, 'Internal error', null],
  ] as const)(
    'maps HTTP %i to %s (error %i: %s) with a sanitized reason',
    async (status, kind, code, description, parameter) => {
      provider.reply({ status, body: errors({ code, description, parameter }) });
      await expectCleanFailure(send(), kind, `MessageBird ${status} error ${code}`, [
        '447400123456',
        accessKey,
      ]);
    },
  );

  it('treats an unparseable gateway error as unavailable', async () => {
    provider.reply({ status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/plain' } });
    const error = await sendFailure(send('x'));
    expect(error.kind).toBe('unavailable');
    expect(error.reason).toContain('MessageBird 503');
  });
});
