import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useLocalContext } from '../../local/local-context.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { expectProblem } from '../support/problems.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/** api.md "Local mode additions": the switches are read when the services are built. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

function withEnv(values: Record<string, string>) {
  Object.assign(process.env, values);
  useLocalContext();
}
afterEach(() => {
  for (const name of ['FAULTS', 'CLOCK_OFFSET_SECONDS', 'PUBLIC_URL']) delete process.env[name];
  useLocalContext();
});

describe('FAULTS', () => {
  it('dynamodb: every route that reads the table answers 503 unavailable with Retry-After', async () => {
    withEnv({ FAULTS: 'dynamodb' });
    for (const path of ['/admin/gateways', '/admin/identity-stores']) {
      const answer = await server.admin('GET', path);
      expectProblem(answer, 503, 'unavailable');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect((await server.call('GET', '/health')).status).toBe(200);
  });

  it('secrets: storing a gateway password answers 503; the table alone still works', async () => {
    withEnv({ FAULTS: 'secrets' });
    const answer = await server.admin('POST', '/admin/gateways', {
      name: 'Faulty secrets',
      type: 'twilio',
      accountId: 'AC0123456789abcdef0123456789abcdef',
      password: 'token',
      from: '+15005550006',
    });
    expectProblem(answer, 503, 'unavailable');
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect((await server.admin('GET', '/admin/gateways')).status).toBe(200);
  });
});

describe('CLOCK_OFFSET_SECONDS', () => {
  it("shifts the service's clock: a challenge made a day ahead expires a day later", async () => {
    const client = await clientFor(server);
    withEnv({ CLOCK_OFFSET_SECONDS: String(86_400) });
    const started = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(started.status, started.text).toBe(201);
    const ahead = Date.parse(started.body.expiresAt) - Date.now();
    expect(ahead).toBeGreaterThan(86_400_000);
    expect(ahead).toBeLessThan(86_400_000 + 1800_000);
  });
});

describe('the switches are refused when deployed, and checked locally', () => {
  const deployed = { TABLE_NAME: 't', SECRET_NAME_PREFIX: 'sms-mfa/x/' };
  const local = { ...deployed, LOCAL_MODE: 'true' };
  it.each([
    ['CLOCK_OFFSET_SECONDS', '60'],
    ['FAULTS', 'dynamodb'],
    ['PUBLIC_URL', 'https://mfa.example.com'],
  ])('%s', (name, value) => {
    expect(() => readConfig({ ...deployed, [name]: value })).toThrow(/local mode only/);
    expect(() => readConfig({ ...local, [name]: value })).not.toThrow();
  });
  it('reads them into the runtime config', () => {
    expect(
      readConfig({
        ...local,
        CLOCK_OFFSET_SECONDS: '-30',
        FAULTS: 'secrets,dynamodb',
        PUBLIC_URL: 'http://127.0.0.1:4000',
      }),
    ).toMatchObject({
      clockOffsetSeconds: -30,
      faults: new Set(['secrets', 'dynamodb']),
      publicUrl: 'http://127.0.0.1:4000',
    });
    expect(() => readConfig({ ...local, FAULTS: 'sns' })).toThrow(/FAULTS/);
    expect(() => readConfig({ ...local, CLOCK_OFFSET_SECONDS: '1.5' })).toThrow(/CLOCK_OFFSET_SECONDS/);
    expect(() => readConfig({ ...local, PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
  });
});
