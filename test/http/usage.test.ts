import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCode, ok } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { eventLines } from '../support/local-events.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';
import { operationPaths as op } from '../../client/src/index.ts';
import { run } from '../../cli/main.ts';

/**
 * The usage ledger over HTTP against the local server (api.md "Prices, receipts from every provider,
 * usage"; issue 26): a scripted run whose every count and amount is known, read back grouped by day,
 * country and gateway. Locally the counters include every answer already given, so no waiting.
 */
const SECRET = 'usage-receipt-secret-0123456789';
const GB = ['+447400123001', '+447400123002'];
const DE = '+4915112345678';

let server: TestServer;
let provider: FakeProvider;
let storeId: string;
let customId: string;
let consoleId: string;
let key: string;
const messageIds: Record<string, string> = {};

const today = () => new Date().toISOString().slice(0, 10);
const v1 = (method: string, path: string, body?: unknown) =>
  server.call(method, path, { body, headers: { authorization: `Bearer ${key}` } });

async function receipt(messageId: string, status: string, price?: number) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = JSON.stringify({ messageId, status, ...(price === undefined ? {} : { price }) });
  const signature = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
  const answer = await server.call('POST', `/callbacks/${customId}`, {
    body,
    headers: { 'x-sms-mfa-timestamp': timestamp, 'x-sms-mfa-signature': `sha256=${signature}` },
  });
  expect(answer.status).toBe(204);
}

/** Enrolls `user` at `phone`; `verify`: enters the code that reached the phone. */
async function enroll(user: string, phone: string, verify: boolean, outboxPhone = phone) {
  const enrolled = await v1('PUT', `/v1/users/${user}/sms-factor`, { phoneNumber: phone });
  expect(enrolled.status).toBe(202);
  if (!verify) return;
  const code = outboxPhone === phone ? await codeOf(phone) : await lastCode(server, phone);
  const verified = await v1('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, { code });
  expect(verified.status).toBe(200);
}

/** The code of the newest message to `phone` through the custom gateway (the fake provider saw it). */
async function codeOf(phone: string): Promise<string> {
  const request = provider.requests.filter((r) => (JSON.parse(r.body) as { to: string }).to === phone).at(-1);
  const code = /(\d{6})/.exec((JSON.parse(request!.body) as { message: string }).message)?.[1];
  return code ?? lastCode(server, phone);
}

beforeAll(async () => {
  server = await startTestServer();
  provider = await startFakeProvider();
  const admin = server.adminApi;
  const gateways = await ok(admin.GET(op['gateways-list'], { params: { query: { limit: 100 } } }));
  consoleId = gateways.items.find((g) => g.type === 'console')!.id;
  const custom = await server.admin('POST', '/admin/gateways', {
    name: 'Priced custom',
    type: 'custom-http',
    url: `${provider.url}/sms`,
    callbackSecret: SECRET,
    pricePerSegment: { default: 0.02, DE: 0.07 },
  });
  expect(custom.status).toBe(201);
  expect(custom.body).toMatchObject({ pricePerSegment: { default: 0.02, DE: 0.07 }, priceCurrency: 'USD' });
  customId = custom.body.id;
  const store = await server.admin('POST', '/admin/identity-stores', {
    name: 'Usage store',
    smsAuth: { enabled: true, gatewayId: customId, fallbackGatewayIds: [consoleId] },
  });
  expect(store.status).toBe(201);
  storeId = store.body.id;
  key = (await server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, { name: 'app' })).body.key;

  // 1. GB through the custom gateway, approved; its receipt says delivered at 0.0123.
  let next = 1;
  const accept = () => ({ status: 200, body: { id: `m${next++}` } });
  provider.reply(accept());
  await enroll('gb-approved', GB[0]!, true);
  messageIds.gb = 'm1';
  // 2. DE through the custom gateway at its DE price, never entered; its receipt says failed.
  provider.reply(accept());
  await enroll('de-open', DE, false);
  messageIds.de = 'm2';
  // 3. GB: the custom gateway fails (a 500: outcome unknown, so its count and cost stay), the console
  //    gateway takes it at the store's default price, and the code is entered.
  provider.reply({ status: 500, body: { error: 'down' } });
  await enroll('gb-failover', GB[1]!, true, 'console');
  await receipt(messageIds.gb, 'delivered', 0.0123);
  await receipt(messageIds.de, 'failed');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await provider?.close();
});

const usage = (query: string) => server.admin('GET', `/admin/identity-stores/${storeId}/usage${query}`);

describe('GET /admin/identity-stores/{storeId}/usage', () => {
  it('by gateway: each attempt at its gateway, a challenge once where its first accepted message is', async () => {
    const answer = await usage(`?from=${today()}&to=${today()}&groupBy=gateway`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ currency: 'USD', from: today(), to: today(), groupBy: 'gateway' });
    const byKey = Object.fromEntries(answer.body.items.map((item: { key: string }) => [item.key, item]));
    expect(byKey[customId]).toEqual({
      key: customId,
      sends: 3,
      accepted: 2,
      delivered: 1,
      failed: 1,
      challenges: 2,
      approved: 1,
      conversionRate: 0.5,
      estimatedCost: 0.11,
      reportedCost: 0.0123,
      costPerApproval: 0.11,
      channels: { sms: 3, voice: 0 },
    });
    expect(byKey[consoleId]).toEqual({
      key: consoleId,
      sends: 1,
      accepted: 1,
      delivered: 0,
      failed: 0,
      challenges: 1,
      approved: 1,
      conversionRate: 1,
      estimatedCost: 0.05,
      reportedCost: 0,
      costPerApproval: 0.05,
      channels: { sms: 1, voice: 0 },
    });
    expect(answer.body.items).toHaveLength(2);
  });

  it('by country: ISO codes, conversion half-up, null cost per approval when nothing was approved', async () => {
    const answer = await usage('?groupBy=country');
    expect(answer.body.items).toEqual([
      {
        key: 'DE',
        sends: 1,
        accepted: 1,
        delivered: 0,
        failed: 1,
        challenges: 1,
        approved: 0,
        conversionRate: 0,
        estimatedCost: 0.07,
        reportedCost: 0,
        costPerApproval: null,
        channels: { sms: 1, voice: 0 },
      },
      {
        key: 'GB',
        sends: 3,
        accepted: 2,
        delivered: 1,
        failed: 0,
        challenges: 2,
        approved: 2,
        conversionRate: 1,
        estimatedCost: 0.09,
        reportedCost: 0.0123,
        costPerApproval: 0.045,
        channels: { sms: 3, voice: 0 },
      },
    ]);
  });

  it('by day (the default): today and the 6 days before, totals equal to the one day', async () => {
    const answer = await usage('');
    const from = new Date(Date.parse(`${today()}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    expect(answer.body).toMatchObject({ groupBy: 'day', from, to: today() });
    const expected = {
      sends: 4,
      accepted: 3,
      delivered: 1,
      failed: 1,
      challenges: 3,
      approved: 2,
      conversionRate: 0.666667,
      estimatedCost: 0.16,
      reportedCost: 0.0123,
      costPerApproval: 0.08,
      channels: { sms: 4, voice: 0 },
    };
    expect(answer.body.items).toEqual([{ key: today(), ...expected }]);
    expect(answer.body.totals).toEqual(expected);
    expect(Date.parse(answer.body.asOf)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('code.sent carries the same estimate as the ledger: the gateway price for DE', async () => {
    const sent = (await eventLines(server.dataDir)).filter(
      (e) => e.type === 'code.sent' && e.data.storeId === storeId,
    );
    expect(sent.map((e) => [e.data.country, e.data.gatewayId, e.data.estimatedCost])).toEqual([
      ['GB', customId, { amount: 0.02, currency: 'USD' }],
      ['DE', customId, { amount: 0.07, currency: 'USD' }],
      ['GB', customId, { amount: 0.02, currency: 'USD' }],
      ['GB', consoleId, { amount: 0.05, currency: 'USD' }],
    ]);
  });

  it('92 days counting both ends is the bound; from after to is 400; a range without sends is empty', async () => {
    expect((await usage('?from=2026-01-01&to=2026-04-02')).status).toBe(200);
    expectProblem(await usage('?from=2026-01-01&to=2026-04-03'), 400, 'validation-failed');
    expectProblem(await usage('?from=2026-03-02&to=2026-03-01'), 400, 'validation-failed');
    expectProblem(await usage('?from=2026-02-30'), 400, 'validation-failed');
    expectProblem(await usage('?groupBy=week'), 400, 'validation-failed');
    const empty = await usage('?from=2026-01-01&to=2026-01-31&groupBy=country');
    expect(empty.body.items).toEqual([]);
    expect(empty.body.totals).toMatchObject({ sends: 0, conversionRate: null, costPerApproval: null });
  });

  it('an unknown store is 404, and so is a deleted one', async () => {
    expectProblem(await server.admin('GET', '/admin/identity-stores/ids_missing/usage'), 404, 'not-found');
    const other = await server.admin('POST', '/admin/identity-stores', { name: 'Short-lived' });
    expect((await server.admin('GET', `/admin/identity-stores/${other.body.id}/usage`)).status).toBe(200);
    await server.admin('DELETE', `/admin/identity-stores/${other.body.id}`);
    expectProblem(
      await server.admin('GET', `/admin/identity-stores/${other.body.id}/usage`),
      404,
      'not-found',
    );
  });

  it('sms-mfa usage: the same answer as JSON, a table of the items with --output table', async () => {
    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
    const env = { SMS_MFA_URL: server.url, SMS_MFA_ADMIN_TOKEN: server.adminToken };
    const range = ['--from', today(), '--to', today()];
    expect(await run(['usage', storeId, ...range, '--group-by', 'gateway'], env, io)).toBe(0);
    const printed = JSON.parse(lines.join(''));
    const api = await usage(`?from=${today()}&to=${today()}&groupBy=gateway`);
    expect(printed.items).toEqual(api.body.items);

    lines.length = 0;
    expect(await run(['usage', storeId, '--group-by', 'country', '--output', 'table'], env, io)).toBe(0);
    const [header, ...rows] = lines.join('').trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(
      expect.arrayContaining(['key', 'sends', 'challenges', 'approved', 'conversionRate', 'costPerApproval']),
    );
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['DE', 'GB']);

    lines.length = 0;
    expect(await run(['usage', storeId, '--group-by', 'week'], env, io)).not.toBe(0);
    expect(lines.join('')).toContain('groupBy');
  });
});

describe('calls in the usage ledger (issue 29)', () => {
  it("a call counts under channels.voice at its gateway's pricePerCall; a text of the same store under sms", async () => {
    const caller = await server.admin('POST', '/admin/gateways', {
      name: 'Calling custom',
      type: 'custom-http',
      url: `${provider.url}/calls`,
      pricePerSegment: { default: 0.02 },
      pricePerCall: { default: 0.3, GB: 0.4 },
    });
    expect(caller.status, caller.text).toBe(201);
    expect(caller.body).toMatchObject({ pricePerCall: { default: 0.3, GB: 0.4 }, priceCurrency: 'USD' });
    // A call price on a type that makes no calls would never apply: 400 at pricePerCall.
    const smsOnly = await server.admin('POST', '/admin/gateways', {
      name: 'SMS only, call priced',
      type: 'vonage',
      username: 'key',
      password: 'secret',
      from: 'Acme',
      pricePerCall: { default: 0.3 },
    });
    expectProblem(smsOnly, 400, 'validation-failed');
    expect(errorPaths(smsOnly)).toEqual(['pricePerCall']);
    const store = await server.admin('POST', '/admin/identity-stores', {
      name: 'Calling store',
      smsAuth: { enabled: true, gatewayId: caller.body.id },
      voice: { enabled: true, allowedCountries: ['GB'] },
    });
    expect(store.status, store.text).toBe(201);
    const created = await server.admin('POST', `/admin/identity-stores/${store.body.id}/api-keys`, {
      name: 'app',
    });
    const call = (method: string, path: string, body: unknown) =>
      server.call(method, path, { body, headers: { authorization: `Bearer ${created.body.key}` } });
    provider.reply({ status: 200, body: { id: 'call-1' } });
    const called = await call('PUT', '/v1/users/caller/sms-factor', {
      phoneNumber: '+447400123021',
      channel: 'voice',
    });
    expect(called.status, called.text).toBe(202);
    provider.reply({ status: 200, body: { id: 'text-1' } });
    const texted = await call('PUT', '/v1/users/texter/sms-factor', { phoneNumber: '+447400123022' });
    expect(texted.status, texted.text).toBe(202);

    const answer = await server.admin(
      'GET',
      `/admin/identity-stores/${store.body.id}/usage?from=${today()}&to=${today()}&groupBy=gateway`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([
      expect.objectContaining({
        key: caller.body.id,
        sends: 2,
        accepted: 2,
        // 0.40 for the call to GB (the gateway's call price), 0.02 for the one-segment text.
        estimatedCost: 0.42,
        channels: { sms: 1, voice: 1 },
      }),
    ]);
  });
});
