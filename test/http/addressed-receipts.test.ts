import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider, type FakeReply } from '../support/fake-provider.ts';
import { eventLines } from '../support/local-events.ts';
import { captureLogs } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * Receipts on per-message addresses (api.md "Receipts per provider"): Sinch, Infobip and MessageBird
 * each get `<PUBLIC_URL>/callbacks/{gatewayId}/{sendId}?t=<token>` in their own receipt field, and post
 * (or, MessageBird, get) their documented delivery reports there. Each payload below is the provider's
 * documented example, with the message id of the send under test put in.
 */
const PUBLIC_URL = 'https://mfa.example.com';

let server: TestServer;
let provider: FakeProvider;
let logs: ReturnType<typeof captureLogs>;
let previousPublicUrl: string | undefined;
beforeAll(async () => {
  previousPublicUrl = process.env.PUBLIC_URL;
  process.env.PUBLIC_URL = PUBLIC_URL;
  logs = captureLogs();
  server = await startTestServer();
  provider = await startFakeProvider();
});
afterAll(async () => {
  logs.stop();
  await server.stop();
  await provider.close();
  if (previousPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = previousPublicUrl;
});

interface Report {
  method: 'GET' | 'POST';
  /** Query parameters besides `t`. */
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
}

interface Case {
  type: 'sinch' | 'infobip' | 'messagebird';
  settings: Record<string, string>;
  path: string;
  accepted: (messageId: string) => FakeReply;
  /** The receipt address the provider request carried, in the provider's own field. */
  addressOf: (body: string) => string | undefined;
  /** The documented report of `messageId` with the provider's word for `status`. */
  report: (messageId: string, status: 'delivered' | 'failed') => Report;
}

/** Sinch "Delivery report callback", per recipient (`delivery_report: "per_recipient"`). */
const sinchReport = (batchId: string, status: string): Report => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    at: '2022-08-30T08:16:08.930Z',
    batch_id: batchId,
    client_reference: 'a client reference',
    code: status === 'Delivered' ? 0 : 402,
    operator_status_at: '2022-08-30T08:16:00Z',
    recipient: '12345678910',
    status,
    type: 'recipient_delivery_report_sms',
  }),
});

/** One result of Infobip's "Receive outbound SMS message report" example. */
const infobipResult = (messageId: string, groupName: string) => ({
  bulkId: 'BULK-ID-123-xyz',
  messageId,
  to: '41793026727',
  sentAt: '2019-11-09T16:00:00.000+0000',
  doneAt: '2019-11-09T16:00:00.000+0000',
  smsCount: 1,
  mccMnc: '22801',
  price: { pricePerMessage: 0.01, currency: 'EUR' },
  status:
    groupName === 'DELIVERED'
      ? {
          groupId: 3,
          groupName,
          id: 5,
          name: 'DELIVERED_TO_HANDSET',
          description: 'Message delivered to handset',
        }
      : {
          groupId: 2,
          groupName,
          id: 9,
          name: 'UNDELIVERABLE_NOT_DELIVERED',
          description: 'Message sent not delivered',
        },
  error: { groupId: 0, groupName: 'OK', id: 0, name: 'NO_ERROR', description: 'No Error', permanent: false },
});

/** MessageBird "Handle a status report": GET (or POST) with the report's fields. */
const messagebirdFields = (id: string, status: string) => ({
  id,
  reference: 'the-client-reference',
  recipient: '31612345678',
  status,
  statusDatetime: '2017-09-01T10:00:05+00:00',
});

const CASES: Case[] = [
  {
    type: 'sinch',
    settings: { accountId: 'plan', password: 'api-token', from: '+15005550006' },
    path: '/xms/v1/plan/batches',
    accepted: (id) => ({ status: 201, body: { id, to: ['x'], canceled: false } }),
    addressOf: (body) => (JSON.parse(body) as { callback_url?: string }).callback_url,
    report: (id, status) => sinchReport(id, status === 'delivered' ? 'Delivered' : 'Failed'),
  },
  {
    type: 'infobip',
    settings: { password: 'api-key', from: 'Acme' },
    path: '/sms/2/text/advanced',
    accepted: (id) => ({
      status: 200,
      body: {
        bulkId: 'b',
        messages: [{ messageId: id, status: { groupId: 1, groupName: 'PENDING', name: 'PENDING_ACCEPTED' } }],
      },
    }),
    addressOf: (body) => (JSON.parse(body) as { messages: [{ notifyUrl?: string }] }).messages[0].notifyUrl,
    report: (id, status) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        results: [infobipResult(id, status === 'delivered' ? 'DELIVERED' : 'UNDELIVERABLE')],
      }),
    }),
  },
  {
    type: 'messagebird',
    settings: { password: 'access-key', from: 'Acme' },
    path: '/messages',
    accepted: (id) => ({ status: 201, body: { id, direction: 'mt' } }),
    addressOf: (body) => (JSON.parse(body) as { reportUrl?: string }).reportUrl,
    report: (id, status) => ({
      method: 'GET',
      query: messagebirdFields(id, status === 'delivered' ? 'delivered' : 'delivery_failed'),
    }),
  },
];

/** Sends to the local server at the path of `address` (the public base stripped), `t` as given. */
function deliver(address: string, report: Report, token: string | null | undefined) {
  const url = new URL(address);
  const query = new URLSearchParams(report.query ?? {});
  if (token !== null) query.set('t', token ?? url.searchParams.get('t') ?? '');
  return server.call(report.method, `${url.pathname}?${query}`, {
    ...(report.body !== undefined ? { body: report.body } : {}),
    ...(report.headers ? { headers: report.headers } : {}),
  });
}

async function sendThrough(spec: Case) {
  const messageId = `msg-${spec.type}-${Math.random().toString(36).slice(2)}`;
  provider.reply(spec.accepted(messageId));
  const gateway = await server.admin('POST', '/admin/gateways', {
    name: `${spec.type} ${Math.random().toString(36).slice(2)}`,
    type: spec.type,
    url: `${provider.url}${spec.path}`,
    ...spec.settings,
  });
  expect(gateway.status, gateway.text).toBe(201);
  const client = await clientFor(server, { smsAuth: { gatewayId: gateway.body.id } });
  const sent = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
  expect(sent.status, sent.text).toBe(201);
  const address = spec.addressOf(provider.requests.at(-1)!.body);
  return {
    gatewayId: gateway.body.id as string,
    storeId: client.storeId,
    challengeId: sent.body.id as string,
    messageId,
    address: address ?? '',
    client,
  };
}

/** Another send through the same gateway and store. */
async function sendAgain(spec: Case, through: Awaited<ReturnType<typeof sendThrough>>) {
  const messageId = `msg-${spec.type}-${Math.random().toString(36).slice(2)}`;
  provider.reply(spec.accepted(messageId));
  const sent = await through.client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
  expect(sent.status, sent.text).toBe(201);
  return { ...through, challengeId: sent.body.id as string, messageId };
}

const history = (storeId: string, challengeId: string) =>
  server.admin('GET', `/admin/identity-stores/${storeId}/challenges/${challengeId}`);

const deliveries = async (challengeId: string) =>
  (await eventLines(server.dataDir)).filter(
    (e) => e.type === 'code.delivery' && e.data.challengeId === challengeId,
  );

describe.each(CASES)('$type receipts on per-message addresses', (spec) => {
  it('the send names its own address; the documented report marks the send once', async () => {
    const sent = await sendThrough(spec);
    const pattern = new RegExp(
      `^${PUBLIC_URL}/callbacks/${sent.gatewayId}/(snd_[0-9a-z]+)\\?t=([A-Za-z0-9_-]{43})$`,
    );
    expect(sent.address).toMatch(pattern);

    const answer = await deliver(sent.address, spec.report(sent.messageId, 'delivered'), undefined);
    expect(answer.status, answer.text).toBe(204);
    expect((await history(sent.storeId, sent.challengeId)).body.sends[0]).toMatchObject({
      providerMessageId: sent.messageId,
      deliveryStatus: 'delivered',
    });
    expect(await deliveries(sent.challengeId)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ gatewayId: sent.gatewayId, status: 'delivered' }),
      }),
    ]);
    // Final is final: a later failure report is answered 204 and changes nothing.
    const later = await deliver(sent.address, spec.report(sent.messageId, 'failed'), undefined);
    expect(later.status).toBe(204);
    expect(await deliveries(sent.challengeId)).toHaveLength(1);
  });

  it('a failure report is recorded as one', async () => {
    const sent = await sendThrough(spec);
    expect((await deliver(sent.address, spec.report(sent.messageId, 'failed'), undefined)).status).toBe(204);
    const [send] = (await history(sent.storeId, sent.challengeId)).body.sends;
    expect(['failed', 'undelivered']).toContain(send.deliveryStatus);
  });

  it("another send's token, a tampered or a missing one is the same 401 and changes nothing", async () => {
    const sent = await sendThrough(spec);
    const other = await sendThrough(spec);
    const token = new URL(sent.address).searchParams.get('t')!;
    const otherToken = new URL(other.address).searchParams.get('t')!;
    const report = spec.report(sent.messageId, 'delivered');
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const answers = [
      await deliver(sent.address, report, otherToken),
      await deliver(sent.address, report, flipped),
      await deliver(sent.address, report, null),
      await deliver(sent.address, report, ''),
      // The right token at another send's address, and at another gateway's.
      await deliver(other.address, report, token),
      await deliver(sent.address.replace(sent.gatewayId, other.gatewayId), report, token),
    ];
    for (const answer of answers) expectProblem(answer, 401, 'unauthorized');
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect((await history(sent.storeId, sent.challengeId)).body.sends[0].deliveryStatus).toBeUndefined();
    expect(await deliveries(sent.challengeId)).toEqual([]);
    // A valid token is 204 whatever its report matches.
    expect((await deliver(sent.address, spec.report('never-sent', 'delivered'), undefined)).status).toBe(204);
    expect((await deliver(sent.address, { method: 'POST', body: 'junk' }, undefined)).status).toBe(204);
  });
});

describe('Infobip batches', () => {
  it('each report of a batch is judged alone (up to 100 per request)', async () => {
    const infobip = CASES.find((c) => c.type === 'infobip')!;
    const first = await sendThrough(infobip);
    const second = await sendAgain(infobip, first);
    const results = [
      infobipResult(first.messageId, 'DELIVERED'),
      { messageId: 42, status: 'garbled' },
      infobipResult('12db39c3-7822-4e72-a3ec-c87442c0ffc5', 'DELIVERED'),
      infobipResult(second.messageId, 'UNDELIVERABLE'),
    ];
    const answer = await deliver(
      first.address,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results }) },
      undefined,
    );
    expect(answer.status, answer.text).toBe(204);
    expect((await history(first.storeId, first.challengeId)).body.sends[0].deliveryStatus).toBe('delivered');
    expect((await history(second.storeId, second.challengeId)).body.sends[0].deliveryStatus).toBe(
      'undelivered',
    );
  });

  it('reports after the 100th of one request are not read', async () => {
    const infobip = CASES.find((c) => c.type === 'infobip')!;
    const sent = await sendThrough(infobip);
    const filler = Array.from({ length: 100 }, (_, i) => infobipResult(`filler-${i}`, 'DELIVERED'));
    const body = JSON.stringify({ results: [...filler, infobipResult(sent.messageId, 'DELIVERED')] });
    const answer = await deliver(
      sent.address,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body },
      undefined,
    );
    expect(answer.status).toBe(204);
    expect((await history(sent.storeId, sent.challengeId)).body.sends[0].deliveryStatus).toBeUndefined();
  });
});

describe('MessageBird status reports', () => {
  it('are accepted as a form POST too', async () => {
    const messagebird = CASES.find((c) => c.type === 'messagebird')!;
    const sent = await sendThrough(messagebird);
    const answer = await deliver(
      sent.address,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(messagebirdFields(sent.messageId, 'delivered')).toString(),
      },
      undefined,
    );
    expect(answer.status, answer.text).toBe(204);
    expect((await history(sent.storeId, sent.challengeId)).body.sends[0].deliveryStatus).toBe('delivered');
  });
});

describe('receipt tokens stay secret', () => {
  it('no log line, event or answer holds a token', async () => {
    const tokens = new Set<string>();
    for (const request of provider.requests) {
      const match = /[?&]t=([A-Za-z0-9_-]{43})/.exec(request.body);
      if (match) tokens.add(match[1]!);
    }
    expect(tokens.size).toBeGreaterThan(5);
    const events = JSON.stringify(await eventLines(server.dataDir));
    const output = logs.output.join('');
    for (const token of tokens) {
      expect(output).not.toContain(token);
      expect(events).not.toContain(token);
    }
  });
});
