import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationPaths as op } from '../../client/src/index.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the typed client against the local server', () => {
  it('enrolls and signs in a user whose id needs encoding, replays with an idempotency key, and types problems', async () => {
    const { api } = await clientFor(server);
    const userId = 'ana+mfa@example.com ü'; // encoded once by the client, decoded once by the API
    const phoneNumber = mobileNumber();
    const path = { userId };

    const enrolled = await api.PUT(op['sms-factor-enroll'], {
      params: { path, header: { 'idempotency-key': `enroll-${phoneNumber}` } },
      body: { phoneNumber },
    });
    expect(enrolled.response.status, JSON.stringify(enrolled.error)).toBe(202);
    const challengeId = enrolled.data!.challenge.id;
    const replayed = await api.PUT(op['sms-factor-enroll'], {
      params: { path, header: { 'idempotency-key': `enroll-${phoneNumber}` } },
      body: { phoneNumber },
    });
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.data).toEqual(enrolled.data);

    const code = await lastCode(server, phoneNumber);
    const wrong = await api.POST(op['challenges-verify'], {
      params: { path: { challengeId } },
      body: { code: code.replace(/^./, (digit) => String((Number(digit) + 1) % 10)) },
    });
    expect(wrong.data).toBeUndefined();
    expect(wrong.error).toMatchObject({ status: 422, type: expect.stringMatching(/\/invalid-code$/) });

    const approved = await api.POST(op['challenges-verify'], {
      params: { path: { challengeId } },
      body: { code },
    });
    expect(approved.data).toMatchObject({ status: 'approved', purpose: 'enroll', userId });

    const mfa = await api.GET(op['users-mfa'], { params: { path } });
    expect(mfa.data?.sms.status).toBe('active');
    expect(mfa.data?.userId).toBe(userId);
  });
});
