import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { REPLACEMENT_NOTICE } from '../../shared/domain/sending/replacement-notice.ts';
import { clientFor, lastCode, mobileNumber, outbox } from '../support/client.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/** api.md "Support desk" and its exact rules: the user lookup, reset and unlock, over HTTP. */
let server: TestServer;
type Client = Awaited<ReturnType<typeof clientFor>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const newClient = () =>
  clientFor(server, {
    codePolicy: { resendIntervalSeconds: 0, maxAttempts: 10 },
    sendLimits: { perPhonePer10Minutes: 100, perPhonePerDay: 200 },
    fraudGuard: { maxUnverifiedPerPrefixPerHour: 1000 },
  });
const userPath = (client: Client, userId: string) =>
  `/admin/identity-stores/${client.storeId}/users/${encodeURIComponent(userId)}`;
const lookup = (client: Client, userId: string) => server.admin('GET', userPath(client, userId));
const reset = (client: Client, userId: string, body: unknown = { reason: 'lost phone, ticket 42' }) =>
  server.admin('POST', `${userPath(client, userId)}/sms-factor/reset`, body);
const unlock = (client: Client, userId: string) => server.admin('POST', `${userPath(client, userId)}/unlock`);

async function enroll(client: Client, userId: string, phone: string) {
  const started = await client.call('PUT', `/v1/users/${encodeURIComponent(userId)}/sms-factor`, {
    phoneNumber: phone,
  });
  expect(started.status, started.text).toBe(202);
  return started.body.challenge as { id: string };
}
async function activeUser(client: Client, userId: string): Promise<string> {
  const phone = mobileNumber();
  const challenge = await enroll(client, userId, phone);
  const verified = await client.call('POST', `/v1/challenges/${challenge.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(verified.status, verified.text).toBe(200);
  return phone;
}
const signIn = async (client: Client, userId: string) => {
  const answer = await client.call('POST', `/v1/users/${encodeURIComponent(userId)}/sms-factor/challenges`);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { id: string };
};
const mask = (phone: string) => `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;

describe('GET /admin/identity-stores/{storeId}/users/{userId}', () => {
  it('an unknown user: factor null, no number, no challenges', async () => {
    const client = await newClient();
    const answer = await lookup(client, 'nobody@example.com');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({
      userId: 'nobody@example.com',
      userRef: expect.stringMatching(/^[0-9a-f]{16}$/),
      factor: null,
      hasLastVerifiedNumber: false,
      recentChallenges: [],
    });
    expectProblem(await server.admin('GET', '/admin/identity-stores/ids_none/users/u'), 404, 'not-found');
  });

  it('a pending, an active and a locked user have the documented shapes', async () => {
    const client = await newClient();
    const pendingPhone = mobileNumber();
    const enrollment = await enroll(client, 'pat', pendingPhone);
    const pending = await lookup(client, 'pat');
    expect(pending.body).toMatchObject({
      factor: { status: 'pending', maskedPhone: mask(pendingPhone) },
      hasLastVerifiedNumber: false,
      recentChallenges: [{ id: enrollment.id, purpose: 'enroll', status: 'pending' }],
    });
    expect(pending.body.factor).not.toHaveProperty('verifiedAt');

    const phone = await activeUser(client, 'act');
    const active = await lookup(client, 'act');
    expect(active.body.factor).toEqual({
      status: 'active',
      maskedPhone: mask(phone),
      verifiedAt: expect.any(String),
    });
    expect(active.body.hasLastVerifiedNumber).toBe(true);
    expect(active.body.recentChallenges[0]).toMatchObject({ purpose: 'enroll', status: 'approved' });

    const challenge = await signIn(client, 'act');
    for (let i = 0; i < 10; i++) {
      await client.call('POST', `/v1/challenges/${challenge.id}/verify`, { code: '000000' });
    }
    const locked = await lookup(client, 'act');
    expect(Date.parse(locked.body.factor.lockedUntil)).toBeGreaterThan(Date.now());
    expect(locked.body.userRef).toBe(active.body.userRef);
  });

  it('lists at most 20 recent challenges, newest first; a canceled one is closed', async () => {
    const client = await newClient();
    await activeUser(client, 'many');
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) {
      const challenge = await signIn(client, 'many');
      ids.push(challenge.id);
      expect((await client.call('POST', `/v1/challenges/${challenge.id}/cancel`)).status).toBe(204);
    }
    const answer = await lookup(client, 'many');
    expect(answer.body.recentChallenges).toHaveLength(20);
    expect(answer.body.recentChallenges.map((c: { id: string }) => c.id)).toEqual(ids.reverse().slice(0, 20));
    expect(new Set(answer.body.recentChallenges.map((c: { status: string }) => c.status))).toEqual(
      new Set(['closed']),
    );
  }, 60_000);
});

describe('POST .../users/{userId}/sms-factor/reset', () => {
  it('closes live codes (410), removes the factor and the number, tells the old number, shows resetAt', async () => {
    const client = await newClient();
    const phone = await activeUser(client, 'lost');
    const challenge = await signIn(client, 'lost');
    const code = await lastCode(server, phone);
    const answer = await reset(client, 'lost');
    expect(answer.status, answer.text).toBe(204);

    expectProblem(
      await client.call('POST', `/v1/challenges/${challenge.id}/verify`, { code }),
      410,
      'challenge-expired',
    );
    const notices = (await outbox(server)).filter((m) => m.to === phone && m.body === REPLACEMENT_NOTICE);
    expect(notices).toHaveLength(1);
    const mfa = await client.call('GET', '/v1/users/lost/mfa');
    expect(mfa.body.sms.status).toBe('none');
    expect(Date.parse(mfa.body.resetAt)).toBeLessThanOrEqual(Date.now());
    expect((await client.call('GET', '/v1/users/act/mfa')).body).not.toHaveProperty('resetAt');
    const looked = await lookup(client, 'lost');
    expect(looked.body).toMatchObject({ factor: null, hasLastVerifiedNumber: false });

    // Re-enrollment needs the number now; with one it works.
    expect((await client.call('PUT', '/v1/users/lost/sms-factor', {})).status).toBe(400);
    const next = mobileNumber();
    const again = await enroll(client, 'lost', next);
    const verified = await client.call('POST', `/v1/challenges/${again.id}/verify`, {
      code: await lastCode(server, next),
    });
    expect(verified.status, verified.text).toBe(200);

    const events = await eventLines(server.dataDir);
    const audit = events.filter((e) => e.type === 'admin.factor.reset' && e.data.userId === 'lost');
    expect(audit.map((e) => e.data)).toEqual([
      { actor: 'local-admin', storeId: client.storeId, userId: 'lost', reason: 'lost phone, ticket 42' },
    ]);
    const removed = events.filter((e) => e.type === 'factor.removed' && e.data.userId === 'lost');
    expect(removed.map((e) => e.data.by)).toEqual(['admin']);
    const failed = events.filter((e) => e.type === 'challenge.failed' && e.data.challengeId === challenge.id);
    expect(failed.map((e) => e.data.reason)).toEqual(['closed']);

    // The audit record is in the table (AUDIT#<store>), written with the change.
    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    const records = await documents.send(
      new QueryCommand({
        TableName: server.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${client.storeId}` },
      }),
    );
    // The store's trail also holds its setup (the store, its key): the support desk's records are these.
    const userRecords = (records.Items ?? []).filter((item) => String(item.type).startsWith('admin.factor.'));
    expect(userRecords.map((item) => [item.type, item.data.userId, item.data.reason])).toEqual([
      ['admin.factor.reset', 'lost', 'lost phone, ticket 42'],
    ]);
  });

  it('closes a pending factor’s enrollment; tells no number that was never active', async () => {
    const client = await newClient();
    const phone = mobileNumber();
    const enrollment = await enroll(client, 'half', phone);
    const code = await lastCode(server, phone);
    expect((await reset(client, 'half')).status).toBe(204);
    expectProblem(
      await client.call('POST', `/v1/challenges/${enrollment.id}/verify`, { code }),
      410,
      'challenge-expired',
    );
    expect((await outbox(server)).filter((m) => m.to === phone && m.body === REPLACEMENT_NOTICE)).toEqual([]);
  });

  it('404 for an unknown user; 400 without a reason; a removed factor’s remembered number still resets', async () => {
    const client = await newClient();
    expectProblem(await reset(client, 'ghost'), 404, 'not-found');
    await activeUser(client, 'kept');
    expectProblem(await reset(client, 'kept', {}), 400, 'validation-failed');
    expectProblem(await reset(client, 'kept', { reason: '' }), 400, 'validation-failed');
    expectProblem(await reset(client, 'kept', { reason: 'x'.repeat(501) }), 400, 'validation-failed');
    expect((await client.call('DELETE', '/v1/users/kept/sms-factor')).status).toBe(204);
    expect((await lookup(client, 'kept')).body.hasLastVerifiedNumber).toBe(true);
    expect((await reset(client, 'kept')).status).toBe(204);
    expect((await lookup(client, 'kept')).body.hasLastVerifiedNumber).toBe(false);
    expectProblem(await reset(client, 'kept'), 404, 'not-found');
  });
});

describe('POST .../users/{userId}/unlock', () => {
  it('ends a lock at once and a new challenge verifies; 204 unlocked too; 404 without a factor', async () => {
    const client = await newClient();
    const phone = await activeUser(client, 'locky');
    const challenge = await signIn(client, 'locky');
    for (let i = 0; i < 10; i++) {
      await client.call('POST', `/v1/challenges/${challenge.id}/verify`, { code: '000000' });
    }
    expectProblem(
      await client.call('POST', '/v1/users/locky/sms-factor/challenges'),
      429,
      'too-many-attempts',
    );
    expect((await unlock(client, 'locky')).status).toBe(204);
    expect((await lookup(client, 'locky')).body.factor).not.toHaveProperty('lockedUntil');
    const fresh = await signIn(client, 'locky');
    const verified = await client.call('POST', `/v1/challenges/${fresh.id}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status, verified.text).toBe(200);
    expect((await unlock(client, 'locky')).status).toBe(204);
    expectProblem(await unlock(client, 'nobody'), 404, 'not-found');

    const audits = (await eventLines(server.dataDir)).filter(
      (e) => e.type === 'admin.factor.unlocked' && e.data.userId === 'locky',
    );
    expect(audits.map((e) => e.data)).toEqual([
      { actor: 'local-admin', storeId: client.storeId, userId: 'locky' },
      { actor: 'local-admin', storeId: client.storeId, userId: 'locky' },
    ]);
  });
});
