import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReceiptRequest } from '../../shared/domain/deliveries/receipt.ts';
import { customHttpReceipts } from '../../shared/adapters/sms/providers/custom-http.ts';
import { plivoReceipts, plivoV3Signature } from '../../shared/adapters/sms/providers/plivo.ts';
import { twilioReceipts, twilioSignature } from '../../shared/adapters/sms/providers/twilio.ts';
import { vonageReceipts, vonageSignature } from '../../shared/adapters/sms/providers/vonage.ts';

const request = (input: Partial<ReceiptRequest>): ReceiptRequest => ({
  url: 'https://mfa.example.com/callbacks/gw_1',
  rawBody: '',
  headers: {},
  params: {},
  ...input,
});

describe('Twilio X-Twilio-Signature', () => {
  // The worked example of www.twilio.com/docs/usage/webhooks/webhooks-security ("Validating requests"),
  // also the vector of twilio-php's RequestValidatorTest: Auth Token 12345.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };

  it("reproduces Twilio's documented signature", () => {
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    const signed = request({
      url,
      params,
      headers: { 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' },
    });
    expect(twilioReceipts.verify(signed, '12345', 0)).toBe(true);
    expect(twilioReceipts.verify(signed, '12346', 0)).toBe(false);
    expect(twilioReceipts.verify({ ...signed, params: { ...params, Digits: '1235' } }, '12345', 0)).toBe(
      false,
    );
    expect(twilioReceipts.verify({ ...signed, headers: {} }, '12345', 0)).toBe(false);
  });

  it('reads MessageSid and only the terminal MessageStatus values', () => {
    const parse = (MessageStatus: string) =>
      twilioReceipts.parse(request({ params: { MessageSid: 'SM1', MessageStatus } }));
    expect(parse('delivered')).toEqual({ messageId: 'SM1', status: 'delivered' });
    expect(parse('undelivered')).toEqual({ messageId: 'SM1', status: 'undelivered' });
    expect(parse('sent')).toEqual({ messageId: 'SM1', status: null });
  });
});

describe('Vonage signed delivery receipts (sig)', () => {
  // developer.vonage.com/en/getting-started/concepts/signing-messages: no published vector, so an
  // independent construction: "&name=value" sorted by name, & and = in values replaced by "_".
  const now = 1_800_000_000_000;
  const params = {
    messageId: '0A0000001',
    status: 'delivered',
    timestamp: String(now / 1000),
    note: 'a=b&c',
  };
  const base = '&messageId=0A0000001&note=a_b_c&status=delivered&timestamp=1800000000';

  it('accepts the default MD5 hash and the HMAC algorithms, in either hex case, within 5 minutes', () => {
    const md5 = createHash('md5').update(`${base}secret`).digest('hex');
    const sha256 = createHmac('sha256', 'secret').update(base).digest('hex');
    expect(vonageSignature('secret', params)).toBe(md5);
    expect(vonageSignature('secret', params, 'sha256')).toBe(sha256);
    for (const sig of [md5, md5.toUpperCase(), sha256])
      expect(vonageReceipts.verify(request({ params: { ...params, sig } }), 'secret', now)).toBe(true);
    expect(vonageReceipts.verify(request({ params: { ...params, sig: md5 } }), 'other', now)).toBe(false);
    expect(vonageReceipts.verify(request({ params: { ...params, sig: md5 } }), 'secret', now + 301_000)).toBe(
      false,
    );
    expect(vonageReceipts.verify(request({ params }), 'secret', now)).toBe(false);
  });

  it('maps expired to undelivered and rejected to failed', () => {
    const parse = (status: string) =>
      vonageReceipts.parse(request({ params: { messageId: 'm', status } }))?.status;
    expect([parse('delivered'), parse('expired'), parse('rejected'), parse('accepted')]).toEqual([
      'delivered',
      'undelivered',
      'failed',
      null,
    ]);
  });
});

describe('Plivo X-Plivo-Signature-V3', () => {
  // Independent construction of the SDKs' validateV3Signature for a POST: base URL, "?", the sorted
  // query as name=value joined by & and "." (only with a query), the sorted POST parameters as
  // name+value, then ".<nonce>"; HMAC-SHA256 with the Auth Token, base64.
  const params = { Status: 'delivered', MessageUUID: 'uuid-1', To: '447700900000' };
  const pairs = 'MessageUUIDuuid-1StatusdeliveredTo447700900000';

  it('signs the URL, its sorted query and the sorted parameters with the nonce', () => {
    const url = 'https://mfa.example.com/callbacks/gw_1?b=2&a=1';
    const expected = createHmac('sha256', 'token')
      .update(`https://mfa.example.com/callbacks/gw_1?a=1&b=2.${pairs}.nonce-1`)
      .digest('base64');
    expect(plivoV3Signature('token', url, 'nonce-1', params)).toBe(expected);
    const plain = createHmac('sha256', 'token')
      .update(`https://mfa.example.com/callbacks/gw_1?${pairs}.nonce-1`)
      .digest('base64');
    const headers = { 'x-plivo-signature-v3': `other,${plain}`, 'x-plivo-signature-v3-nonce': 'nonce-1' };
    expect(plivoReceipts.verify(request({ params, headers }), 'token', 0)).toBe(true);
    expect(
      plivoReceipts.verify(
        request({ params, headers: { ...headers, 'x-plivo-signature-v3-nonce': 'nonce-2' } }),
        'token',
        0,
      ),
    ).toBe(false);
    expect(plivoReceipts.verify(request({ params, headers }), 'token2', 0)).toBe(false);
  });
});

describe('custom-http receipts', () => {
  const now = 1_800_000_000_000;
  const rawBody = '{"messageId":"m-1","status":"failed","errorCode":"30003"}';
  const signature = (timestamp: string) =>
    `sha256=${createHmac('sha256', 'secret').update(`${timestamp}.${rawBody}`).digest('hex')}`;
  const signed = (timestamp: string) =>
    request({
      rawBody,
      headers: { 'x-sms-mfa-timestamp': timestamp, 'x-sms-mfa-signature': signature(timestamp) },
    });

  it('checks the HMAC over "<timestamp>.<raw body>" and a timestamp within ±300 s', () => {
    expect(customHttpReceipts.verify(signed('1800000000'), 'secret', now)).toBe(true);
    expect(customHttpReceipts.verify(signed('1799999700'), 'secret', now)).toBe(true);
    expect(customHttpReceipts.verify(signed('1799999699'), 'secret', now)).toBe(false);
    expect(customHttpReceipts.verify(signed('1800000301'), 'secret', now)).toBe(false);
    expect(customHttpReceipts.verify(signed('1800000000'), 'other', now)).toBe(false);
    expect(
      customHttpReceipts.verify({ ...signed('1800000000'), rawBody: `${rawBody} ` }, 'secret', now),
    ).toBe(false);
  });
});
