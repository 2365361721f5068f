import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider, type FakeReply } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * Delivery receipts against the local server (api.md "Delivery receipts"). The service stands behind a
 * public address (PUBLIC_URL), as deployed behind API Gateway or CloudFront: sends name
 * `<PUBLIC_URL>/callbacks/<gatewayId>` as the provider's callback parameter, and providers sign that URL.
 * Every signature here is computed by the test's own implementation of the provider's documented scheme
 * (the published vectors are checked in test/unit/receipt-signatures.test.ts).
 */
const PUBLIC_URL = 'https://mfa.example.com';
const SECRET = 'receipt-secret-0123456789';

let server: TestServer;
let previousPublicUrl: string | undefined;
beforeAll(async () => {
  previousPublicUrl = process.env.PUBLIC_URL;
  process.env.PUBLIC_URL = PUBLIC_URL;
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  if (previousPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = previousPublicUrl;
});

const unix = () => String(Math.floor(Date.now() / 1000));
const sortedPairs = (params: Record<string, string>) =>
  Object.keys(params)
    .sort()
    .map((name) => [name, params[name]!] as const);

interface Receipt {
  body: string;
  headers: Record<string, string>;
}

interface ProviderCase {
  type: 'twilio' | 'vonage' | 'plivo' | 'custom-http';
  /** The gateway's settings besides name, type, url and callbackSecret. */
  settings: Record<string, string>;
  path: string;
  accepted: (messageId: string) => FakeReply;
  /** What the provider request carried as its callback parameter. */
  callbackOf: (body: string) => string | null | undefined;
  /** A receipt as the provider sends it, signed with `secret` (at `timestamp` where the scheme dates it). */
  receipt: (input: {
    url: string;
    messageId: string;
    status: string;
    secret: string;
    timestamp: string;
  }) => Receipt;
  /** The provider's words for delivered and failed. */
  delivered: string;
  failed: string;
  /** Whether the signature carries a date that goes stale. */
  dated: boolean;
  /** Whether the signature covers the URL called. */
  signsUrl: boolean;
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

const CASES: ProviderCase[] = [
  {
    type: 'twilio',
    settings: { accountId: 'AC0123', password: 'api-token', from: '+15005550006' },
    path: '/2010-04-01/Accounts/AC0123/Messages.json',
    accepted: (id) => ({ status: 201, body: { sid: id, status: 'queued' } }),
    callbackOf: (body) => new URLSearchParams(body).get('StatusCallback'),
    receipt: ({ url, messageId, status, secret }) => {
      const params = {
        AccountSid: 'AC0123',
        From: '+15005550006',
        MessageSid: messageId,
        MessageStatus: status,
        SmsSid: messageId,
        SmsStatus: status,
        ApiVersion: '2010-04-01',
      };
      const signed =
        url +
        sortedPairs(params)
          .map(([name, value]) => `${name}${value}`)
          .join('');
      const signature = createHmac('sha1', secret).update(signed).digest('base64');
      return {
        body: form(params),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      };
    },
    delivered: 'delivered',
    failed: 'undelivered',
    dated: false,
    signsUrl: true,
  },
  {
    type: 'vonage',
    settings: { username: 'api-key', password: 'api-secret', from: 'Acme' },
    path: '/sms/json',
    accepted: (id) => ({
      status: 200,
      body: { 'message-count': '1', messages: [{ status: '0', 'message-id': id }] },
    }),
    callbackOf: (body) => new URLSearchParams(body).get('callback'),
    receipt: ({ messageId, status, secret, timestamp }) => {
      const params: Record<string, string> = {
        msisdn: '447700900000',
        to: 'Acme',
        'network-code': '23410',
        messageId,
        price: '0.03330000',
        status,
        scts: '2012071500',
        'err-code': '0',
        'api-key': 'api-key',
        'message-timestamp': '2026-12-02 01:00:00',
        timestamp,
      };
      // "MD5 hash", Vonage's default: md5 over "&name=value..." (sorted, & and = in values as _) + secret.
      const base = sortedPairs(params)
        .map(([name, value]) => `&${name}=${value.replace(/[&=]/g, '_')}`)
        .join('');
      params.sig = createHash('md5')
        .update(base + secret)
        .digest('hex');
      return { body: JSON.stringify(params), headers: { 'content-type': 'application/json' } };
    },
    delivered: 'delivered',
    failed: 'rejected',
    dated: true,
    signsUrl: false,
  },
  {
    type: 'plivo',
    settings: { accountId: 'MA0123', password: 'auth-token', from: '14155550100' },
    path: '/v1/Account/MA0123/Message/',
    accepted: (id) => ({
      status: 202,
      body: { api_id: 'x', message: 'message(s) queued', message_uuid: [id] },
    }),
    callbackOf: (body) => (JSON.parse(body) as { url?: string }).url,
    receipt: ({ url, messageId, status, secret }) => {
      const params = {
        From: '14155550100',
        To: '447700900000',
        MessageUUID: messageId,
        Status: status,
        Units: '1',
      };
      const nonce = `n${Math.random().toString(36).slice(2)}`;
      // V3 for a POST without a query: "<url>?" + sorted name+value pairs, then ".<nonce>".
      const signed = `${url}?${sortedPairs(params)
        .map(([name, value]) => `${name}${value}`)
        .join('')}.${nonce}`;
      return {
        body: form(params),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-plivo-signature-v3': createHmac('sha256', secret).update(signed).digest('base64'),
          'x-plivo-signature-v3-nonce': nonce,
        },
      };
    },
    delivered: 'delivered',
    failed: 'failed',
    dated: false,
    signsUrl: true,
  },
  {
    type: 'custom-http',
    settings: {},
    path: '/sms',
    accepted: (id) => ({ status: 200, body: { id } }),
    callbackOf: (body) => (JSON.parse(body) as { callbackUrl?: string }).callbackUrl,
    receipt: ({ messageId, status, secret, timestamp }) => {
      const body = JSON.stringify({
        messageId,
        status,
        errorCode: status === 'delivered' ? undefined : '30003',
        extra: 1,
      });
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-sms-mfa-timestamp': timestamp,
          'x-sms-mfa-signature': `sha256=${signature}`,
        },
      };
    },
    delivered: 'delivered',
    failed: 'failed',
    dated: true,
    signsUrl: false,
  },
];

async function events(): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const text = await readFile(join(server.dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** A store sending through a gateway of `spec.type` on a fake provider, and one code sent through it. */
async function sentThrough(spec: ProviderCase, provider: FakeProvider) {
  const messageId = `msg-${spec.type}-${Math.random().toString(36).slice(2)}`;
  provider.reply(spec.accepted(messageId));
  const gateway = await server.admin('POST', '/admin/gateways', {
    name: `${spec.type} ${Math.random().toString(36).slice(2)}`,
    type: spec.type,
    url: `${provider.url}${spec.path}`,
    callbackSecret: SECRET,
    ...spec.settings,
  });
  expect(gateway.status, gateway.text).toBe(201);
  expect(gateway.body.hasCallbackSecret).toBe(true);
  expect(gateway.text).not.toContain(SECRET);
  const client = await clientFor(server, { smsAuth: { gatewayId: gateway.body.id } });
  const phone = mobileNumber();
  const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
  expect(sent.status, sent.text).toBe(201);
  const url = `${PUBLIC_URL}/callbacks/${gateway.body.id}`;
  return {
    client,
    gatewayId: gateway.body.id as string,
    challengeId: sent.body.id as string,
    messageId,
    url,
    phone,
  };
}

const post = (gatewayId: string, receipt: Receipt) =>
  server.call('POST', `/callbacks/${gatewayId}`, { body: receipt.body, headers: receipt.headers });

describe.each(CASES)('$type delivery receipts', (spec) => {
  let provider: FakeProvider;
  beforeAll(async () => {
    provider = await startFakeProvider();
  });
  afterAll(() => provider.close());

  it('the send names the callback; a signed receipt updates the history once and emits code.delivery', async () => {
    const sent = await sentThrough(spec, provider);
    expect(spec.callbackOf(provider.requests.at(-1)!.body)).toBe(sent.url);
    const history = () =>
      server.admin('GET', `/admin/identity-stores/${sent.client.storeId}/challenges/${sent.challengeId}`);
    expect((await history()).body.sends).toEqual([
      expect.objectContaining({ providerMessageId: sent.messageId }),
    ]);

    const receipt = (status: string) =>
      spec.receipt({ url: sent.url, messageId: sent.messageId, status, secret: SECRET, timestamp: unix() });
    const answered = await post(sent.gatewayId, receipt(spec.delivered));
    expect(answered.status, answered.text).toBe(204);
    const [send] = (await history()).body.sends;
    expect(send).toMatchObject({ providerMessageId: sent.messageId, deliveryStatus: 'delivered' });
    expect(Date.parse(send.deliveredAt)).toBeGreaterThanOrEqual(Date.parse(send.at));

    const delivery = (await events()).filter(
      (e) => e.type === 'code.delivery' && e.data.challengeId === sent.challengeId,
    );
    expect(delivery).toEqual([
      {
        id: expect.any(String),
        type: 'code.delivery',
        timestamp: expect.any(String),
        data: expect.objectContaining({
          storeId: sent.client.storeId,
          gatewayId: sent.gatewayId,
          gatewayType: spec.type,
          providerMessageId: sent.messageId,
          status: 'delivered',
        }),
      },
    ]);
    expect(JSON.stringify(delivery)).not.toContain(sent.phone.slice(1));

    // Terminal is final: a later failure report is accepted and changes nothing.
    expect((await post(sent.gatewayId, receipt(spec.failed))).status).toBe(204);
    expect((await history()).body.sends[0]).toMatchObject({
      deliveryStatus: 'delivered',
      deliveredAt: send.deliveredAt,
    });
    expect(
      (await events()).filter((e) => e.type === 'code.delivery' && e.data.challengeId === sent.challengeId),
    ).toHaveLength(1);
  });

  it('a missing, wrong or stale signature is the one 401 and changes nothing; an unknown message is 204', async () => {
    const sent = await sentThrough(spec, provider);
    const signed = (input: Partial<Parameters<ProviderCase['receipt']>[0]>) =>
      spec.receipt({
        url: sent.url,
        messageId: sent.messageId,
        status: spec.delivered,
        secret: SECRET,
        timestamp: unix(),
        ...input,
      });
    const good = signed({});
    const unsigned = {
      body: good.body,
      headers: Object.fromEntries(Object.entries(good.headers).filter(([name]) => name === 'content-type')),
    };
    // Vonage signs inside the body: drop its `sig`.
    if (spec.type === 'vonage') unsigned.body = JSON.stringify({ ...JSON.parse(good.body), sig: undefined });
    const refusals: Receipt[] = [
      unsigned,
      signed({ secret: 'another-secret' }),
      // The body changed after signing.
      { ...good, body: good.body.replace(sent.messageId, `${sent.messageId}x`) },
    ];
    if (spec.signsUrl) refusals.push(signed({ url: `${PUBLIC_URL}/callbacks/gw_elsewhere` }));
    if (spec.dated) refusals.push(signed({ timestamp: String(Math.floor(Date.now() / 1000) - 301) }));
    const answers = [];
    for (const receipt of refusals) answers.push(await post(sent.gatewayId, receipt));
    answers.push(await post('gw_unknown', good));
    for (const answer of answers) expectProblem(answer, 401, 'unauthorized');
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);

    const history = await server.admin(
      'GET',
      `/admin/identity-stores/${sent.client.storeId}/challenges/${sent.challengeId}`,
    );
    expect(history.body.sends[0].deliveryStatus).toBeUndefined();
    expect(
      (await events()).some((e) => e.type === 'code.delivery' && e.data.challengeId === sent.challengeId),
    ).toBe(false);

    expect((await post(sent.gatewayId, signed({ messageId: 'never-sent' }))).status).toBe(204);
  });
});

describe('receipts of a gateway type without them', () => {
  it('are refused like a bad signature', async () => {
    const gateway = await server.admin('POST', '/admin/gateways', {
      name: `sinch ${Math.random().toString(36).slice(2)}`,
      type: 'sinch',
      accountId: 'plan',
      password: 'token',
      from: '+15005550006',
      callbackSecret: SECRET,
    });
    expect(gateway.status, gateway.text).toBe(201);
    expectProblem(
      await server.call('POST', `/callbacks/${gateway.body.id}`, {
        body: { batch_id: 'x', status: 'Delivered' },
      }),
      401,
      'unauthorized',
    );
  });
});
