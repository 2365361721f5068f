import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFingerprint } from '../../shared/http/idempotent-requests.ts';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { expectProblem } from '../support/problems.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const sentTo = async (phone: string) => (await outbox(server)).filter((m) => m.to === phone).length;

describe('Idempotency-Key over HTTP (api.md "Idempotent replays")', () => {
  it('replays the first answer byte for byte with Idempotent-Replayed: true, and sends nothing', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const headers = { 'idempotency-key': 'signup-1' };
    const first = await client.call('POST', '/v1/verifications', { phoneNumber: phone }, headers);
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same body with its keys in another order and other spacing is the same request.
    const replay = await client.call('POST', '/v1/verifications', `{ "phoneNumber" : "${phone}" }`, headers);
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await sentTo(phone)).toBe(1);
  });

  it('is 409 conflict for the same key with another body; keys are per route and store', async () => {
    const headers = { 'idempotency-key': 'enroll-1' };
    const enrollBob = async (client: Awaited<ReturnType<typeof clientFor>>) =>
      client.call('PUT', '/v1/users/bob/sms-factor', { phoneNumber: mobileNumber() }, headers);
    const client = await clientFor(server);
    const first = await enrollBob(client);
    expect(first.status, first.text).toBe(202);
    expectProblem(await enrollBob(client), 409, 'conflict');
    const otherUser = await client.call('PUT', '/v1/users/carol/sms-factor', {}, headers);
    expectProblem(otherUser, 409, 'conflict');
    const elsewhere = await enrollBob(await clientFor(server));
    expect(elsewhere.status, elsewhere.text).toBe(202);
    expect(elsewhere.headers.get('idempotent-replayed')).toBeNull();
  });

  it('stores no problem answer: a refused first request runs again on retry', async () => {
    const client = await clientFor(server);
    const headers = { 'idempotency-key': 'authenticate-1' };
    const refused = await client.call('POST', '/v1/users/nobody/sms-factor/challenges', undefined, headers);
    expectProblem(refused, 409, 'conflict');
    const again = await client.call('POST', '/v1/users/nobody/sms-factor/challenges', undefined, headers);
    expectProblem(again, 409, 'conflict');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('is 409 while the first request with the key is still running', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const headers = { 'idempotency-key': 'parallel-1' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        client.call('POST', '/v1/verifications', { phoneNumber: phone }, headers),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(),
    ).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.status === 201 && !a.headers.get('idempotent-replayed'))).toHaveLength(1);
    expect(await sentTo(phone)).toBe(1);
  });
});

describe('the request fingerprint', () => {
  it('ignores clientIp and key order, and tells routes, paths and bodies apart', () => {
    const base = requestFingerprint('verifications-create', undefined, undefined, { phoneNumber: '+1' });
    expect(
      requestFingerprint('verifications-create', undefined, undefined, {
        phoneNumber: '+1',
        clientIp: '192.0.2.1',
      }),
    ).toBe(base);
    expect(requestFingerprint('verifications-create', undefined, undefined, { phoneNumber: '+2' })).not.toBe(
      base,
    );
    expect(requestFingerprint('sms-factor-enroll', undefined, undefined, { phoneNumber: '+1' })).not.toBe(
      base,
    );
    expect(requestFingerprint('sms-factor-enroll', { userId: 'a' }, undefined, {})).not.toBe(
      requestFingerprint('sms-factor-enroll', { userId: 'b' }, undefined, {}),
    );
  });
});
