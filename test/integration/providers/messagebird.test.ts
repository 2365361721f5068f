// Follows MessageBird's (Bird) "Send outbound SMS" reference (SMS Messaging API, POST /messages) and its API errors.
import { describe, expect, it } from 'vitest';
import { MessageBirdSender } from '../../../shared/adapters/sms/messagebird-sender.ts';
import { adapterAgainstFakeProvider, sendFailure } from '../../support/provider-adapter.ts';

const accessKey = 'live_gshuPaZoeEG6ovbc8M79w0QyM';
const { provider, sender, lastRequest, gateway } = adapterAgainstFakeProvider(
  (http) => new MessageBirdSender(http),
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

  it.each([
    [
      401,
      errors({ code: 2, description: 'Request not allowed (incorrect access_key)', parameter: 'access_key' }),
      'auth',
    ],
    [
      422,
      errors({ code: 9, description: 'no (correct) recipients found', parameter: 'recipients' }),
      'invalid-number',
    ],
    [
      422,
      errors({
        code: 9,
        description:
          'no (correct) recipients found. Note: during your test period you can only send messages to your own number (+447400123456).',
        parameter: 'recipient',
      }),
      'invalid-number',
    ],
    [
      422,
      errors({ code: 10, description: 'recipient +447400123456 is invalid', parameter: 'recipients' }),
      'invalid-number',
    ],
    [
      422,
      errors({ code: 21, description: 'Bad request: recipients', parameter: 'recipients' }),
      'invalid-number',
    ],
    [422, errors({ code: 9, description: 'originator is required', parameter: 'originator' }), 'rejected'],
    [422, errors({ code: 25, description: 'Not enough balance', parameter: null }), 'rejected'],
    [404, errors({ code: 98, description: 'API not found', parameter: null }), 'rejected'],
    [429, errors({ code: 21, description: 'Too many requests', parameter: null }), 'throttled'],
    [500, errors({ code: 99, description: 'Internal error', parameter: null }), 'unavailable'],
  ] as const)('maps HTTP %i %j to %s with a sanitized reason', async (status, body, kind) => {
    provider.reply({ status, body });
    const error = await sendFailure(send());
    expect(error.kind).toBe(kind);
    expect(error.reason).toContain(`MessageBird ${status} error ${body.errors[0]!.code}`);
    expect(error.reason).not.toContain('447400123456');
    expect(error.reason).not.toContain(accessKey);
  });

  it('treats an unparseable gateway error as unavailable', async () => {
    provider.reply({ status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/plain' } });
    const error = await sendFailure(send('x'));
    expect(error.kind).toBe('unavailable');
    expect(error.reason).toContain('MessageBird 503');
  });
});
