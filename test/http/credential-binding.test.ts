import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type TestProxy } from '../support/connect-proxy.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

const OLD_TOKEN = 'old-auth-token-SECRET-1';
const NEW_TOKEN = 'new-auth-token-SECRET-2';
const TWILIO_PATH = '/2010-04-01/Accounts/{accountId}/Messages.json';
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let server: TestServer;
let original: FakeProvider;
let attacker: FakeProvider;
beforeAll(async () => {
  [server, original, attacker] = await Promise.all([
    startTestServer(),
    startFakeProvider(),
    startFakeProvider(),
  ]);
  for (const provider of [original, attacker]) provider.reply({ status: 201, body: { sid: 'SMok' } });
});
afterAll(async () => {
  await Promise.all([server.stop(), original.close(), attacker.close()]);
});

/** Everything a fake saw, headers and body, as one string to search for a credential. */
const seenBy = (provider: FakeProvider) => JSON.stringify(provider.requests);

async function twilioGateway(name: string, extra: Record<string, unknown> = {}) {
  const created = await server.admin('POST', '/admin/gateways', {
    name,
    type: 'twilio',
    accountId: ACCOUNT,
    password: OLD_TOKEN,
    from: '+15005550006',
    url: `${original.url}${TWILIO_PATH}`,
    ...extra,
  });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

const testSend = (id: string) =>
  server.admin('POST', `/admin/gateways/${id}/test`, { phoneNumber: '+447400123456' });

describe('a stored password stays with its destination', () => {
  it('refuses a url or type change without password, and the new host never sees the old token', async () => {
    const gateway = await twilioGateway('Bound to its URL');
    expect(gateway.effectiveUrl).toBe(`${original.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);

    for (const patch of [
      { url: `${attacker.url}${TWILIO_PATH}` },
      { url: null },
      { type: 'custom-http', authScheme: 'bearer', url: `${attacker.url}/sms` },
      { type: 'custom-http', authScheme: 'bearer' },
    ]) {
      const refused = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, patch);
      expectProblem(refused, 400, 'validation-failed');
      expect(errorPaths(refused), JSON.stringify(patch)).toContain('password');
    }
    // Nothing moved: the gateway still sends to its own provider.
    expect((await testSend(gateway.id)).status).toBe(200);
    expect(attacker.requests).toHaveLength(0);

    const moved = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, {
      url: `${attacker.url}${TWILIO_PATH}`,
      password: NEW_TOKEN,
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.effectiveUrl).toBe(`${attacker.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect((await testSend(gateway.id)).status).toBe(200);
    expect(attacker.requests).toHaveLength(1);
    expect(attacker.requests[0]?.headers.authorization).toBe(basic(ACCOUNT, NEW_TOKEN));
    expect(seenBy(attacker)).not.toContain(OLD_TOKEN);
    expect(seenBy(attacker)).not.toContain(Buffer.from(`${ACCOUNT}:${OLD_TOKEN}`).toString('base64'));

    // Clearing the password with the move is the other way to satisfy the rule.
    const cleared = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, {
      type: 'custom-http',
      url: `${attacker.url}/sms`,
      password: null,
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.hasPassword).toBe(false);
  });

  it('allows edits that keep the destination without repeating the password', async () => {
    const gateway = await twilioGateway('Same destination');
    const same = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, {
      url: gateway.url,
      type: 'twilio',
      from: '+15005550007',
    });
    expect(same.status, same.text).toBe(200);
    expect(same.body.hasPassword).toBe(true);
  });
});

describe('a stored proxy password stays with its proxy', () => {
  let first: TestProxy;
  let second: TestProxy;
  beforeAll(async () => {
    [first, second] = await Promise.all([
      startProxy('svc', 'proxy-old-SECRET'),
      startProxy('svc', 'proxy-new-SECRET'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  it('refuses a proxy host or port change without proxy.password; the new proxy never sees the old one', async () => {
    const gateway = await twilioGateway('Proxied', {
      proxy: { host: '127.0.0.1', port: first.port, username: 'svc', password: 'proxy-old-SECRET' },
    });
    expect((await testSend(gateway.id)).status).toBe(200);
    expect(first.seen.length).toBeGreaterThan(0);

    for (const proxy of [
      { port: second.port },
      { host: 'localhost' },
      { host: 'localhost', port: second.port },
    ]) {
      const refused = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, { proxy });
      expectProblem(refused, 400, 'validation-failed');
      expect(errorPaths(refused)).toEqual(['proxy.password']);
    }

    const moved = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, {
      proxy: { port: second.port, password: 'proxy-new-SECRET' },
    });
    expect(moved.status, moved.text).toBe(200);
    expect((await testSend(gateway.id)).status).toBe(200);
    expect(second.seen.length).toBeGreaterThan(0);
    for (const seen of second.seen) expect(seen.authorization).toBe(basic('svc', 'proxy-new-SECRET'));

    // Removing the proxy removes its password with it.
    const removed = await server.admin('PATCH', `/admin/gateways/${gateway.id}`, { proxy: null });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.proxy).toBeNull();
  });
});
