import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { clientFor, lastCode, mobileNumber, outbox } from '../support/client.ts';
import { expectProblem } from '../support/problems.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the whole journey over HTTP', () => {
  it('enrolls, activates, challenges and approves', async () => {
    const client = await clientFor(server, { smsAuth: { enforcedRoles: ['Admins'] } });
    const phone = mobileNumber();
    expect((await client.call('GET', '/v1/users/alice/mfa?roles=Admins')).body.nextStep).toBe('enroll');

    const enrolled = await client.call('PUT', '/v1/users/alice/sms-factor', { phoneNumber: phone.slice(1) });
    expect(enrolled.status, enrolled.text).toBe(202);
    expect(enrolled.body.status).toBe('pending');
    expect(enrolled.body.challenge).toMatchObject({ purpose: 'enroll', attemptsRemaining: 5 });
    expect(enrolled.body.challenge.maskedPhone).toBe(`+44*******${phone.slice(-3)}`);
    expect((await client.call('GET', '/v1/users/alice/sms-factor')).body.status).toBe('pending');
    expect((await client.call('GET', '/v1/users/alice/mfa?roles=Admins')).body.sms.status).toBe('pending');

    const code = await lastCode(server, phone);
    expect(code).toHaveLength(6);
    const verified = await client.call('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, {
      code,
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ status: 'approved', purpose: 'enroll', userId: 'alice' });
    expect(verified.body.phoneNumber).toBeUndefined();

    const factor = await client.call('GET', '/v1/users/alice/sms-factor');
    expect(factor.body).toMatchObject({ status: 'active', maskedPhone: `+44*******${phone.slice(-3)}` });
    const decision = await client.call('GET', '/v1/users/alice/mfa?roles=Admins');
    expect(decision.body).toMatchObject({ sms: { status: 'active', required: true }, nextStep: 'challenge' });

    const challenge = await client.call('POST', '/v1/users/alice/sms-factor/challenges');
    expect(challenge.status, challenge.text).toBe(201);
    expect(challenge.body.purpose).toBe('authenticate');
    const approved = await client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', purpose: 'authenticate', userId: 'alice' });
    expect(Date.parse(approved.body.verifiedAt)).not.toBeNaN();
  });

  it('verifies a phone number without a user', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const started = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(started.status, started.text).toBe(201);
    expect(started.body.purpose).toBe('verify-phone');
    const approved = await client.call('POST', `/v1/challenges/${started.body.id}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', purpose: 'verify-phone', phoneNumber: phone });
    expect(approved.body.userId).toBeUndefined();
  });

  it('renders the store template with the code', async () => {
    const client = await clientFor(server, {
      smsAuth: { messageTemplate: 'Contoso: [Code] is your code' },
      codePolicy: { length: 8 },
    });
    const phone = mobileNumber();
    await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const message = (await outbox(server)).filter((m) => m.to === phone).at(-1);
    expect(message?.body).toMatch(/^Contoso: \d{8} is your code$/);
  });
});

describe('enrollment rules', () => {
  it('reuses the last verified number, and needs a fresh authenticate approval to replace it', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const first = mobileNumber();
    const second = mobileNumber();
    expectProblem(await client.call('PUT', '/v1/users/bob/sms-factor', {}), 400, 'validation-failed');

    const enroll = await client.call('PUT', '/v1/users/bob/sms-factor', { phoneNumber: first });
    await client.call('POST', `/v1/challenges/${enroll.body.challenge.id}/verify`, {
      code: await lastCode(server, first),
    });
    expectProblem(
      await client.call('PUT', '/v1/users/bob/sms-factor', { phoneNumber: first }),
      409,
      'conflict',
    );
    expectProblem(
      await client.call('PUT', '/v1/users/bob/sms-factor', { phoneNumber: second }),
      403,
      'forbidden',
    );

    // An authenticate challenge that was not approved does not count.
    const unapproved = await client.call('POST', '/v1/users/bob/sms-factor/challenges');
    expectProblem(
      await client.call('PUT', '/v1/users/bob/sms-factor', {
        phoneNumber: second,
        approvedChallengeId: unapproved.body.id,
      }),
      403,
      'forbidden',
    );
    await client.call('POST', `/v1/challenges/${unapproved.body.id}/verify`, {
      code: await lastCode(server, first),
    });
    const replacing = await client.call('PUT', '/v1/users/bob/sms-factor', {
      phoneNumber: second,
      approvedChallengeId: unapproved.body.id,
    });
    expect(replacing.status, replacing.text).toBe(202);
    // Still active on the old number until the new one is verified.
    expect((await client.call('GET', '/v1/users/bob/sms-factor')).body).toMatchObject({
      status: 'active',
      maskedPhone: `+44*******${first.slice(-3)}`,
    });
    await client.call('POST', `/v1/challenges/${replacing.body.challenge.id}/verify`, {
      code: await lastCode(server, second),
    });
    expect((await client.call('GET', '/v1/users/bob/sms-factor')).body.maskedPhone).toBe(
      `+44*******${second.slice(-3)}`,
    );
    const notice = (await outbox(server)).filter((m) => m.to === first).at(-1);
    expect(notice?.body).toContain('changed');

    expect((await client.call('DELETE', '/v1/users/bob/sms-factor')).status).toBe(204);
    expectProblem(await client.call('GET', '/v1/users/bob/sms-factor'), 404, 'not-found');
    expectProblem(await client.call('DELETE', '/v1/users/bob/sms-factor'), 404, 'not-found');
    // The last verified number is remembered.
    const again = await client.call('PUT', '/v1/users/bob/sms-factor', {});
    expect(again.status, again.text).toBe(202);
    expect(again.body.challenge.maskedPhone).toBe(`+44*******${second.slice(-3)}`);
  });

  it('answers 409 for a challenge without an active factor, and sms-disabled when SMS is off', async () => {
    const client = await clientFor(server);
    expectProblem(await client.call('POST', '/v1/users/nobody/sms-factor/challenges'), 409, 'conflict');
    const disabled = await clientFor(server, { smsAuth: { enabled: false } });
    const before = (await outbox(server)).length;
    expectProblem(
      await disabled.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }),
      409,
      'sms-disabled',
    );
    expectProblem(
      await disabled.call('PUT', '/v1/users/x/sms-factor', { phoneNumber: mobileNumber() }),
      409,
      'sms-disabled',
    );
    expect((await outbox(server)).length).toBe(before);
  });
});

describe('resends', () => {
  it('keeps the challenge id, keeps every code valid and refuses inside the interval', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const phone = mobileNumber();
    const first = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const firstCode = await lastCode(server, phone);
    const second = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(second.status, second.text).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const secondCode = await lastCode(server, phone);
    // The late first SMS still works.
    const approved = await client.call('POST', `/v1/challenges/${first.body.id}/verify`, { code: firstCode });
    expect(approved.status, approved.text).toBe(200);
    expectProblem(
      await client.call('POST', `/v1/challenges/${first.body.id}/verify`, { code: secondCode }),
      409,
      'challenge-used',
    );

    const throttled = await clientFor(server, { codePolicy: { resendIntervalSeconds: 60 } });
    const other = mobileNumber();
    expect((await throttled.call('POST', '/v1/verifications', { phoneNumber: other })).status).toBe(201);
    const refused = await throttled.call('POST', '/v1/verifications', { phoneNumber: other });
    expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('sends at most 5 codes per challenge', async () => {
    const client = await clientFor(server, {
      codePolicy: { resendIntervalSeconds: 0 },
      sendLimits: { perPhonePer10Minutes: 50, perPhonePerDay: 50 },
    });
    const phone = mobileNumber();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++)
      ids.add((await client.call('POST', '/v1/verifications', { phoneNumber: phone })).body.id);
    expect(ids.size).toBe(1);
    const sixth = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expectProblem(sixth, 429, 'rate-limited');
    expect(sixth.headers.get('retry-after')).toBeTruthy();
  });
});

describe('idempotency', () => {
  it('returns the first answer for a repeated key and sends one SMS', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const key = { 'idempotency-key': `k-${Math.random()}` };
    const first = await client.call('POST', '/v1/verifications', { phoneNumber: phone }, key);
    const second = await client.call('POST', '/v1/verifications', { phoneNumber: phone }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect((await outbox(server)).filter((m) => m.to === phone)).toHaveLength(1);
    expectProblem(
      await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }, key),
      409,
      'conflict',
    );
    expectProblem(
      await client.call(
        'POST',
        '/v1/verifications',
        { phoneNumber: phone },
        { 'idempotency-key': 'x'.repeat(65) },
      ),
      400,
      'validation-failed',
    );
  });
});

describe('a failed send', () => {
  it('answers 502 gateway-error, leaves no usable code and no send counted against the user', async () => {
    // A gateway on a closed loopback port: every send through it fails at once.
    const closed = await freePort();
    const gateway = await server.admin('POST', '/admin/gateways', {
      name: 'Failing gateway',
      type: 'custom-http',
      url: `http://127.0.0.1:${closed}/send`,
    });
    const client = await clientFor(server, { smsAuth: { gatewayId: gateway.body.id } });
    const phone = mobileNumber();
    const failed = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expectProblem(failed, 502, 'gateway-error');
    expect(failed.text).not.toMatch(/\d{6}/);
    // Asking again at once is not refused by the resend interval: the failed send did not count.
    expectProblem(
      await client.call('POST', '/v1/verifications', { phoneNumber: phone }),
      502,
      'gateway-error',
    );

    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    const items = (await documents.send(new ScanCommand({ TableName: server.tableName }))).Items ?? [];
    const challenges = items.filter((i) => String(i.pk).startsWith('CHALLENGE#') && i.phone === phone);
    expect(challenges.length).toBeGreaterThan(0);
    for (const challenge of challenges) expect(challenge.codes).toEqual({});
  });
});
