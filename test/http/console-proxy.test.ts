import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleProxyProcess, type ConsoleProxyProcess } from '../support/console-proxy-process.ts';
import {
  FAKE_WEBHOOK_SECRET,
  startFakeAdminApi,
  TEST_CREDENTIALS,
  type FakeAdminApi,
} from '../support/fake-admin-api.ts';

let api: FakeAdminApi;
let proxy: ConsoleProxyProcess;
beforeAll(async () => {
  api = await startFakeAdminApi();
  proxy = await startConsoleProxyProcess(api);
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await api?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A raw request, so that Host and Origin can be anything (fetch would not let a test forge them). */
function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const bearer = () => ({ authorization: `Bearer ${proxy.token}` });

describe('npm run console: the SigV4-signing proxy', () => {
  it('forwards admin calls to --url only, signed with the local AWS credentials, and passes the answer back', async () => {
    const before = api.received.length;
    const listed = await call('GET', '/admin/gateways?limit=2&nextToken=a%20b', bearer());
    expect(listed.status, listed.text).toBe(200);
    expect(JSON.parse(listed.text).items[0].name).toBe('Deployed Twilio');

    const body = JSON.stringify({ name: 'Renamed' });
    const patched = await call(
      'PATCH',
      '/admin/gateways/gw_fake1',
      { ...bearer(), 'content-type': 'application/json', 'if-match': '"1"', cookie: 'session=x' },
      body,
    );
    expect(patched.status, patched.text).toBe(200);

    // The fake API answered 200 only because each signature checked out (it answers 403 otherwise).
    const [list, patch] = api.received.slice(before);
    expect(list).toMatchObject({ method: 'GET', url: '/prod/admin/gateways?limit=2&nextToken=a%20b' });
    expect(patch).toMatchObject({ method: 'PATCH', url: '/prod/admin/gateways/gw_fake1', body });
    expect(patch!.headers['if-match']).toBe('"1"');
    expect(patch!.headers.authorization).toContain(
      'SignedHeaders=accept;content-length;content-type;host;if-match;x-amz-date;x-amz-security-token,',
    );
    for (const received of [list!, patch!]) {
      expect(received.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
      expect(JSON.stringify(received.headers)).not.toContain(proxy.token);
      expect(received.headers.cookie).toBeUndefined();
    }
    // Nothing the browser receives carries a credential.
    for (const answer of [listed, patched]) {
      for (const secret of Object.values(TEST_CREDENTIALS)) {
        expect(answer.text + JSON.stringify(answer.headers)).not.toContain(secret);
      }
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses a missing or wrong token, a foreign Host or Origin, and any path outside /admin/, forwarding nothing', async () => {
    const before = api.received.length;
    const { port } = new URL(proxy.url);
    const refusals: Array<[number, Promise<Answer>]> = [
      [401, call('GET', '/admin/gateways')],
      [401, call('GET', '/admin/gateways', { authorization: `Bearer ${proxy.token}x` })],
      [401, call('GET', '/admin/gateways', { authorization: `Basic ${proxy.token}` })],
      // DNS rebinding: a name that resolves to 127.0.0.1 is still a foreign Host.
      [403, call('GET', '/admin/gateways', { ...bearer(), host: `evil.example:${port}` })],
      [403, call('GET', '/console/', { host: `evil.example:${port}` })],
      [403, call('GET', '/admin/gateways', { ...bearer(), origin: 'http://evil.example' })],
      [403, call('GET', '/admin/gateways', { ...bearer(), origin: `http://127.0.0.1:${Number(port) + 1}` })],
      [403, call('POST', '/admin/gateways', { ...bearer(), 'sec-fetch-site': 'cross-site' }, '{}')],
      [403, call('OPTIONS', '/admin/gateways', { origin: 'http://evil.example' })],
      [404, call('GET', '/v1/users/alice/mfa', bearer())],
      [404, call('GET', '/health', bearer())],
      [404, call('GET', '/admin/../v1/users/alice/mfa', bearer())],
      [404, call('GET', '/admin%2f..%2fv1', bearer())],
      [404, call('GET', '/callbacks/gw_fake1', bearer())],
      [405, call('PUT', '/admin/gateways/gw_fake1', bearer(), '{}')],
      [400, call('POST', '/admin/gateways', bearer(), '{not json')],
      [413, call('POST', '/admin/gateways', bearer(), JSON.stringify({ name: 'x'.repeat(17 * 1024) }))],
    ];
    for (const [status, pending] of refusals) {
      const answer = await pending;
      expect(answer.status, answer.text).toBe(status);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(api.received.slice(before)).toEqual([]);
  });

  it("serves the console's files with the CSP, and prints the token only in its sign-in address", async () => {
    const page = await call('GET', '/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe("default-src 'self'");
    expect(page.text).toContain('<script type="module" src="/console/main.js">');
    const script = await call('GET', '/console/main.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    await call('GET', '/admin/gateways', bearer());

    const lines = proxy.output().split('\n');
    expect(lines.filter((line) => line.includes(proxy.token))).toEqual([`  open: ${proxy.signInUrl}`]);
    expect(lines).toContain('GET /admin/gateways 200');
    for (const secret of Object.values(TEST_CREDENTIALS)) expect(proxy.output()).not.toContain(secret);
  });

  it('passes a secret shown once to the page only: no-store, and never in its output', async () => {
    const created = await call(
      'POST',
      '/admin/identity-stores/is_fake1/webhooks',
      { ...bearer(), 'content-type': 'application/json' },
      JSON.stringify({ url: 'https://hooks.example.com/sms' }),
    );
    expect(created.status, created.text).toBe(200);
    expect(JSON.parse(created.text).secret).toBe(FAKE_WEBHOOK_SECRET);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(proxy.output()).toContain('POST /admin/identity-stores/is_fake1/webhooks 200');
    expect(proxy.output()).not.toContain(FAKE_WEBHOOK_SECRET);
  });

  it("prints a support-desk call without the user's id (api.md: user ids never in logs)", async () => {
    const path = '/admin/identity-stores/is_fake1/users/bob%40example.com';
    const found = await call('GET', path, bearer());
    const unlocked = await call('POST', `${path}/unlock`, bearer());
    const lines = proxy.output().split('\n');
    expect(lines).toContain(`GET /admin/identity-stores/is_fake1/users/{userId} ${found.status}`);
    expect(lines).toContain(`POST /admin/identity-stores/is_fake1/users/{userId}/unlock ${unlocked.status}`);
    expect(proxy.output()).not.toContain('bob');
  });
});
