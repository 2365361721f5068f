import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalContext } from '../../local/local-context.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { captureLogs } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

let server: TestServer;
let primary: FakeProvider;
let fallback: FakeProvider;
let output: string[] = [];
let stopCapture = () => {};
const passwords = [
  'primary-SECRET-token',
  'fallback-SECRET-token',
  'rotated-OLD-secret',
  'rotated-NEW-secret',
];
const phones: string[] = [];
const codes: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [primary, fallback] = await Promise.all([startFakeProvider(), startFakeProvider()]);
  Object.assign(process.env, { PROVIDER_TIMEOUT_MS: '400', CONFIG_CACHE_SECONDS: '60' });
  useLocalContext();
  delete process.env.PROVIDER_TIMEOUT_MS;
  delete process.env.CONFIG_CACHE_SECONDS;
  ({ output, stop: stopCapture } = captureLogs());
});
afterAll(async () => {
  stopCapture();
  await Promise.all([primary.close(), fallback.close()]);
  await server.stop();
});

async function twilioGateway(name: string, provider: FakeProvider, password: string): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `${name} ${Math.random()}`,
    type: 'twilio',
    accountId: 'AC0123',
    from: '+15005550006',
    password,
    url: `${provider.url}/2010-04-01/Accounts/{accountId}/Messages.json`,
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.id;
}

/** The code in a request a provider received (Twilio form: Body=...). */
function codeIn(provider: FakeProvider, index = -1): string {
  const body = new URLSearchParams(provider.requests.at(index)?.body ?? '').get('Body') ?? '';
  const code = /(\d{6})/.exec(body)?.[1] ?? '';
  codes.push(code);
  return code;
}

async function storeWithFailover() {
  const primaryId = await twilioGateway('Primary', primary, passwords[0]!);
  const fallbackId = await twilioGateway('Fallback', fallback, passwords[1]!);
  return clientFor(server, {
    smsAuth: { gatewayId: primaryId, fallbackGatewayIds: [fallbackId] },
    codePolicy: { resendIntervalSeconds: 0 },
  });
}

const phone = () => {
  const number = mobileNumber();
  phones.push(number);
  return number;
};

describe('failover', () => {
  it('a primary answering 500 is not asked again (the outcome is unknown): the fallback delivers exactly one message', async () => {
    const client = await storeWithFailover();
    primary.reply({ status: 500, body: { code: 20500, message: 'Internal Server Error' } });
    fallback.reply({ status: 201, body: { sid: 'SMfallback' } });
    const [primaryBefore, fallbackBefore] = [primary.requests.length, fallback.requests.length];
    const number = phone();
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: number });
    expect(sent.status, sent.text).toBe(201);
    expect(primary.requests.length - primaryBefore).toBe(1);
    expect(fallback.requests.length - fallbackBefore).toBe(1);
    const verified = await client.call('POST', `/v1/challenges/${sent.body.id}/verify`, {
      code: codeIn(fallback),
    });
    expect(verified.status, verified.text).toBe(200);
  });

  it('a primary that does not answer in time is given up on, and the fallback delivers once', async () => {
    const client = await storeWithFailover();
    primary.reply({ status: 201, body: { sid: 'SMlate' }, delayMs: 1500 });
    fallback.reply({ status: 201, body: { sid: 'SMfallback2' } });
    const fallbackBefore = fallback.requests.length;
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone() });
    expect(sent.status, sent.text).toBe(201);
    expect(fallback.requests.length - fallbackBefore).toBe(1);
  });

  it('when every gateway fails: 502, and no code of that challenge verifies', async () => {
    const client = await storeWithFailover();
    primary.reply({ status: 201, body: { sid: 'SMfirst' } });
    const number = phone();
    const first = await client.call('POST', '/v1/verifications', { phoneNumber: number });
    expect(first.status, first.text).toBe(201);
    const firstCode = codeIn(primary);

    primary.reply({ status: 503, body: 'down' });
    fallback.reply({ status: 500, body: { code: 20500, message: 'Internal Server Error' } });
    const failed = await client.call('POST', '/v1/verifications', { phoneNumber: number });
    expectProblem(failed, 502, 'gateway-error');
    expect(failed.body.detail).toContain('Every linked gateway failed');
    for (const password of passwords) expect(failed.text).not.toContain(password);
    const lostCode = codeIn(fallback);

    for (const code of [firstCode, lostCode]) {
      const attempt = await client.call('POST', `/v1/challenges/${first.body.id}/verify`, { code });
      expect(attempt.status, attempt.text).not.toBe(200);
    }
  });
});

describe('credential rotation', () => {
  it("after a rotated secret, the provider's 401 leads to one re-read and success", async () => {
    const gatewayId = await twilioGateway('Rotating', primary, passwords[2]!);
    const client = await clientFor(server, { smsAuth: { gatewayId } });
    primary.reply({ status: 201, body: { sid: 'SMold' } });
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: phone() })).status).toBe(201);

    expect(
      (await server.admin('PATCH', `/admin/gateways/${gatewayId}`, { password: passwords[3] })).status,
    ).toBe(200);
    primary.reply(
      { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } },
      { status: 201, body: { sid: 'SMnew' } },
    );
    const before = primary.requests.length;
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone() });
    expect(sent.status, sent.text).toBe(201);
    const auth = primary.requests
      .slice(before)
      .map((r) => Buffer.from(String(r.headers.authorization).slice(6), 'base64').toString());
    expect(auth).toEqual([`AC0123:${passwords[2]}`, `AC0123:${passwords[3]}`]);
  });
});

describe('what the logs hold', () => {
  it('no credential, no full phone number and no code', () => {
    const logs = output.join('');
    expect(logs).toContain('provider refused or failed');
    for (const secret of passwords) expect(logs).not.toContain(secret);
    for (const number of phones) {
      expect(logs).not.toContain(number);
      expect(logs).not.toContain(number.slice(1));
    }
    for (const code of codes.filter(Boolean)) expect(logs).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
  });
});

describe('test connection', () => {
  it('sends through the same adapter and answers the provider id, or 502 with the sanitized reason', async () => {
    const gatewayId = await twilioGateway('Tested', fallback, passwords[1]!);
    fallback.reply({ status: 201, body: { sid: 'SMtest123' } });
    const ok = await server.admin('POST', `/admin/gateways/${gatewayId}/test`, {
      phoneNumber: '447400123456',
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ status: 'sent', providerMessageId: 'SMtest123' });
    expect(new URLSearchParams(fallback.requests.at(-1)?.body).get('To')).toBe('+447400123456');

    fallback.reply({
      status: 400,
      body: {
        code: 21606,
        message: "The 'From' phone number +15005550006 is not a valid, SMS-capable inbound phone number",
        status: 400,
      },
    });
    const refused = await server.admin('POST', `/admin/gateways/${gatewayId}/test`, {
      phoneNumber: '447400123456',
    });
    expectProblem(refused, 502, 'gateway-error');
    expect(refused.body.detail).toContain('Twilio 400');
    expect(refused.body.detail).toContain('provider code 21606');
    expect(refused.body.detail).not.toContain('15005550006');
    expect(refused.text).not.toContain(passwords[1]);
  });
});
