import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/** api.md "Factor and approval guarantees", over HTTP against the local server. */
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
    codePolicy: { resendIntervalSeconds: 0 },
    sendLimits: { perPhonePer10Minutes: 50, perPhonePerDay: 100 },
  });

async function enroll(client: Client, userId: string, phone: string, approvedChallengeId?: string) {
  return client.call('PUT', `/v1/users/${userId}/sms-factor`, {
    phoneNumber: phone,
    ...(approvedChallengeId ? { approvedChallengeId } : {}),
  });
}

async function activeUser(client: Client, userId: string): Promise<string> {
  const phone = mobileNumber();
  const started = await enroll(client, userId, phone);
  expect(started.status, started.text).toBe(202);
  const verified = await client.call('POST', `/v1/challenges/${started.body.challenge.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(verified.status, verified.text).toBe(200);
  return phone;
}

/** An approved authenticate challenge of the user (its code went to `phone`). */
async function approval(client: Client, userId: string, phone: string): Promise<string> {
  const challenge = await client.call('POST', `/v1/users/${userId}/sms-factor/challenges`);
  expect(challenge.status, challenge.text).toBe(201);
  const verified = await client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(verified.status, verified.text).toBe(200);
  return challenge.body.id;
}

const factorPhone = async (client: Client, userId: string) =>
  (await client.call('GET', `/v1/users/${userId}/sms-factor`)).body as {
    status: string;
    maskedPhone: string;
  };

const mask = (phone: string) => `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;

describe('the replacement race', () => {
  it('once a number is active, no unapproved number becomes active (20 trials)', async () => {
    const client = await newClient();
    for (let trial = 0; trial < 20; trial++) {
      const userId = `racer-${trial}`;
      const a = mobileNumber();
      const started = await enroll(client, userId, a);
      const codeA = await lastCode(server, a);
      const others = [mobileNumber(), mobileNumber(), mobileNumber()];
      const [verifiedA, ...puts] = await Promise.all([
        client.call('POST', `/v1/challenges/${started.body.challenge.id}/verify`, { code: codeA }),
        ...others.map((b) => enroll(client, userId, b)),
      ]);
      for (const put of puts) expect([202, 403, 409]).toContain(put.status);
      if (verifiedA!.status !== 200) {
        // A pending replacement won the race before A was activated: A never became active.
        expectProblem(verifiedA!, 409, 'conflict');
        continue;
      }
      // A is active: every B that got 202 raced ahead of the activation, and its code must not activate it.
      for (const [i, put] of puts.entries()) {
        if (put.status !== 202) continue;
        const attempt = await client.call('POST', `/v1/challenges/${put.body.challenge.id}/verify`, {
          code: await lastCode(server, others[i]!),
        });
        expect(attempt.status).not.toBe(200);
      }
      expect(await factorPhone(client, userId)).toMatchObject({ status: 'active', maskedPhone: mask(a) });
    }
  }, 120_000);
});

describe('approvals', () => {
  it('authorise one replacement; a repeat for the same new number is a resend; another number is 403', async () => {
    const client = await newClient();
    const a = await activeUser(client, 'ann');
    const approved = await approval(client, 'ann', a);
    const b = mobileNumber();
    const first = await enroll(client, 'ann', b, approved);
    expect(first.status, first.text).toBe(202);
    const again = await enroll(client, 'ann', b);
    expect(again.status, again.text).toBe(202);
    expect(again.body.challenge.id).toBe(first.body.challenge.id);
    expectProblem(await enroll(client, 'ann', mobileNumber(), approved), 403, 'forbidden');
  });

  it('an approval from before a removal or a replacement authorises nothing later', async () => {
    const client = await newClient();
    const a = await activeUser(client, 'bob');
    const beforeDelete = await approval(client, 'bob', a);
    const beforeReplace = await approval(client, 'bob', a);
    expect((await client.call('DELETE', '/v1/users/bob/sms-factor')).status).toBe(204);
    const b = mobileNumber();
    const reenrolled = await enroll(client, 'bob', b);
    await client.call('POST', `/v1/challenges/${reenrolled.body.challenge.id}/verify`, {
      code: await lastCode(server, b),
    });
    expectProblem(await enroll(client, 'bob', mobileNumber(), beforeDelete), 403, 'forbidden');
    expectProblem(await enroll(client, 'bob', mobileNumber(), beforeReplace), 403, 'forbidden');

    const current = await approval(client, 'bob', b);
    const c = mobileNumber();
    const replacing = await enroll(client, 'bob', c, current);
    await client.call('POST', `/v1/challenges/${replacing.body.challenge.id}/verify`, {
      code: await lastCode(server, c),
    });
    expect(await factorPhone(client, 'bob')).toMatchObject({ status: 'active', maskedPhone: mask(c) });
    const fresh = await approval(client, 'bob', c);
    expectProblem(await enroll(client, 'bob', mobileNumber(), beforeReplace), 403, 'forbidden');
    expect((await enroll(client, 'bob', mobileNumber(), fresh)).status).toBe(202);
  });

  it('every invalid approvedChallengeId is 403, never 404', async () => {
    const client = await newClient();
    const other = await newClient();
    await activeUser(client, 'cat');
    const dan = await activeUser(client, 'dan');
    const otherStore = await approval(other, 'eve', await activeUser(other, 'eve'));
    const someoneElse = await approval(client, 'dan', dan);
    const unapproved = (await client.call('POST', '/v1/users/cat/sms-factor/challenges')).body.id as string;
    const enrollChallenge = (await enroll(client, 'fay', mobileNumber())).body.challenge.id as string;
    for (const id of ['ch_unknown', otherStore, someoneElse, unapproved, enrollChallenge]) {
      expectProblem(await enroll(client, 'cat', mobileNumber(), id), 403, 'forbidden');
    }
  });
});

describe('closing challenges', () => {
  it('a verified replacement closes the old number’s sign-in codes; a removal closes the rest (410)', async () => {
    const client = await newClient();
    const a = await activeUser(client, 'gus');
    const approved = await approval(client, 'gus', a);
    const signIn = await client.call('POST', '/v1/users/gus/sms-factor/challenges');
    const signInCode = await lastCode(server, a);
    const b = mobileNumber();
    const replacing = await enroll(client, 'gus', b, approved);
    const verified = await client.call('POST', `/v1/challenges/${replacing.body.challenge.id}/verify`, {
      code: await lastCode(server, b),
    });
    expect(verified.status, verified.text).toBe(200);
    expectProblem(
      await client.call('POST', `/v1/challenges/${signIn.body.id}/verify`, { code: signInCode }),
      410,
      'challenge-expired',
    );

    const next = await client.call('POST', '/v1/users/gus/sms-factor/challenges');
    const nextCode = await lastCode(server, b);
    const c = mobileNumber();
    const pending = await enroll(client, 'gus', c, await approvalWithout(client, 'gus', b, next.body.id));
    const pendingCode = await lastCode(server, c);
    expect((await client.call('DELETE', '/v1/users/gus/sms-factor')).status).toBe(204);
    expectProblem(
      await client.call('POST', `/v1/challenges/${pending.body.challenge.id}/verify`, { code: pendingCode }),
      410,
      'challenge-expired',
    );
    expect(nextCode).toBeTruthy();
  });
});

/** Approves the live sign-in challenge `id` whose code went to `phone`. */
async function approvalWithout(client: Client, _userId: string, phone: string, id: string): Promise<string> {
  const verified = await client.call('POST', `/v1/challenges/${id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(verified.status, verified.text).toBe(200);
  return id;
}
