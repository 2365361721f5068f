import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/** `sms-mfa users get|reset|unlock` (issue 28) against the local server, in process. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI prints arbitrary JSON
async function cli(argv: string[]): Promise<{ code: number; out: string; json: any }> {
  const lines: string[] = [];
  const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
  const env = { SMS_MFA_URL: server.url, SMS_MFA_ADMIN_TOKEN: server.adminToken };
  const code = await run(argv, env, io);
  const out = lines.join('');
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, out, json };
}

describe('users commands', () => {
  it('get shows the factor, unlock answers, reset needs --reason and removes the factor', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const phone = mobileNumber();
    const userId = 'user with spaces/no'.replace('/', '-');
    const started = await client.call('PUT', `/v1/users/${encodeURIComponent(userId)}/sms-factor`, {
      phoneNumber: phone,
    });
    await client.call('POST', `/v1/challenges/${started.body.challenge.id}/verify`, {
      code: await lastCode(server, phone),
    });

    const got = await cli(['users', 'get', client.storeId, userId]);
    expect(got.code, got.out).toBe(0);
    expect(got.json).toMatchObject({ userId, factor: { status: 'active' }, hasLastVerifiedNumber: true });

    expect((await cli(['users', 'unlock', client.storeId, userId])).code).toBe(0);
    const noReason = await cli(['users', 'reset', client.storeId, userId]);
    expect(noReason.code).toBe(2);
    expect(noReason.out).toContain('--reason');
    const reset = await cli(['users', 'reset', client.storeId, userId, '--reason', 'lost phone']);
    expect(reset.code, reset.out).toBe(0);
    expect((await cli(['users', 'get', client.storeId, userId])).json.factor).toBeNull();
    const again = await cli(['users', 'reset', client.storeId, userId, '--reason', 'again']);
    expect(again.code).toBe(1);
    expect(again.json.status).toBe(404);
    expect((await cli(['users', 'unlock', client.storeId, userId])).json.status).toBe(404);
  }, 60_000);
});
