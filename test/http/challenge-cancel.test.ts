import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/runtime/config.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/** api.md "Support desk" (cancel) and "Wave 3: revisions after review" ("Cancel"), over HTTP. */
let server: TestServer;
type Client = Awaited<ReturnType<typeof clientFor>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  useLocalContext();
});

async function activeUser(client: Client, userId: string): Promise<string> {
  const phone = mobileNumber();
  const started = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
  expect(started.status, started.text).toBe(202);
  const verified = await client.call('POST', `/v1/challenges/${started.body.challenge.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(verified.status, verified.text).toBe(200);
  return phone;
}

const signIn = async (client: Client, userId: string) => {
  const answer = await client.call('POST', `/v1/users/${userId}/sms-factor/challenges`);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { id: string; attemptsRemaining: number };
};

const cancel = (client: Client, challengeId: string) =>
  client.call('POST', `/v1/challenges/${challengeId}/cancel`);

describe('POST /v1/challenges/{id}/cancel', () => {
  it('is 204; the code then answers 410; challenge.failed canceled once; cancelling twice is 204', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const phone = await activeUser(client, 'carol');
    const challenge = await signIn(client, 'carol');
    const code = await lastCode(server, phone);
    const first = await cancel(client, challenge.id);
    expect(first.status, first.text).toBe(204);
    expect((await cancel(client, challenge.id)).status).toBe(204);
    expectProblem(
      await client.call('POST', `/v1/challenges/${challenge.id}/verify`, { code }),
      410,
      'challenge-expired',
    );
    const failures = (await eventLines(server.dataDir)).filter(
      (e) => e.type === 'challenge.failed' && e.data.challengeId === challenge.id,
    );
    expect(failures.map((e) => e.data.reason)).toEqual(['canceled']);
    expect(failures[0]!.data).toMatchObject({ userId: 'carol', storeId: client.storeId });
    const history = await server.admin(
      'GET',
      `/admin/identity-stores/${client.storeId}/challenges/${challenge.id}`,
    );
    expect(history.body.status).toBe('closed');
  });

  it('is 409 challenge-used after an approval, and the approval stands', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const phone = await activeUser(client, 'dan');
    const challenge = await signIn(client, 'dan');
    const verified = await client.call('POST', `/v1/challenges/${challenge.id}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status).toBe(200);
    expectProblem(await cancel(client, challenge.id), 409, 'challenge-used');
  });

  it('is 404 across stores, for an unknown id and for another application key', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const other = await clientFor(server);
    await activeUser(client, 'erin');
    await activeUser(client, 'gus');
    const challenge = await signIn(client, 'erin');
    expectProblem(await cancel(other, challenge.id), 404, 'not-found');
    expectProblem(await cancel(client, 'ch_unknown'), 404, 'not-found');

    const app = await server.admin('POST', `/admin/identity-stores/${client.storeId}/applications`, {
      name: 'web',
    });
    expect(app.status, app.text).toBe(201);
    const appKey = await server.admin('POST', `/admin/identity-stores/${client.storeId}/api-keys`, {
      name: 'web key',
      applicationId: app.body.id,
    });
    const asApp = (method: string, path: string) =>
      server.call(method, path, { headers: { authorization: `Bearer ${appKey.body.key}` } });
    // The store-level key's challenge is not the application's.
    expectProblem(await asApp('POST', `/v1/challenges/${challenge.id}/cancel`), 404, 'not-found');
    const own = await asApp('POST', '/v1/users/gus/sms-factor/challenges');
    expect(own.status, own.text).toBe(201);
    // A store-level key may cancel any challenge of its store; the application's own key its own.
    expect((await asApp('POST', `/v1/challenges/${own.body.id}/cancel`)).status).toBe(204);
    expect((await cancel(client, challenge.id)).status).toBe(204);
    const fresh = await signIn(client, 'gus');
    expect((await cancel(client, fresh.id)).status).toBe(204);
  });

  it('keeps the resend interval and carries failed attempts until the canceled one would have expired', async () => {
    const clock = new ManualClock();
    useLocalContext({ clock }, readConfig());
    const client = await clientFor(server, {
      codePolicy: { resendIntervalSeconds: 30, maxAttempts: 5, ttlSeconds: 300 },
    });
    const phone = await activeUser(client, 'finn');
    const challenge = await signIn(client, 'finn');
    expect(challenge.attemptsRemaining).toBe(5);
    for (let i = 0; i < 2; i++) {
      const wrong = await client.call('POST', `/v1/challenges/${challenge.id}/verify`, { code: '000000' });
      expect(wrong.status, wrong.text).toBe(422);
    }
    expect((await cancel(client, challenge.id)).status).toBe(204);
    expectProblem(await client.call('POST', '/v1/users/finn/sms-factor/challenges'), 429, 'rate-limited');

    clock.advance(31_000);
    const next = await signIn(client, 'finn');
    expect(next.id).not.toBe(challenge.id);
    expect(next.attemptsRemaining).toBe(3);
    // The carried attempts do not stop the right code.
    const verified = await client.call('POST', `/v1/challenges/${next.id}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status, verified.text).toBe(200);

    // Once the canceled challenge would have expired, a new one starts with every attempt.
    const third = await signIn(client, 'finn');
    for (let i = 0; i < 1; i++) {
      await client.call('POST', `/v1/challenges/${third.id}/verify`, { code: '000000' });
    }
    expect((await cancel(client, third.id)).status).toBe(204);
    clock.advance(301_000);
    expect((await signIn(client, 'finn')).attemptsRemaining).toBe(5);
  });
});
