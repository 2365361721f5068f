import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';
import { startFakeProvider } from '../support/fake-provider.ts';
import { eventLines as localEventLines } from '../support/local-events.ts';

const eventLines = (server: TestServer) => localEventLines(server.dataDir);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const historyPath = (storeId: string, challengeId: string) =>
  `/admin/identity-stores/${storeId}/challenges/${challengeId}`;

describe('challenge history over HTTP', () => {
  it('shows every send with its gateway and provider message id as soon as the send answers, then the approval', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const phone = mobileNumber();
    const enrolled = await client.call('PUT', '/v1/users/hana/sms-factor', { phoneNumber: phone });
    expect(enrolled.status, enrolled.text).toBe(202);
    const challengeId = enrolled.body.challenge.id as string;

    const pending = await server.admin('GET', historyPath(client.storeId, challengeId));
    expect(pending.status, pending.text).toBe(200);
    expect(pending.body).toMatchObject({
      id: challengeId,
      purpose: 'enroll',
      userId: 'hana',
      maskedPhone: enrolled.body.challenge.maskedPhone,
      status: 'pending',
      attempts: 0,
      test: false,
    });
    expect(pending.text).not.toContain(phone);
    expect(pending.body.approvedAt).toBeUndefined();
    expect(pending.body.sends).toHaveLength(1);
    const [first] = pending.body.sends;
    expect(first).toMatchObject({ gatewayId: client.gatewayId, gatewayType: 'console', outcome: 'accepted' });
    expect(first.providerMessageId).toEqual(expect.any(String));
    expect(first.deliveryStatus).toBeUndefined();

    // A resend of the same challenge adds its own record, after the first.
    const resent = await client.call('PUT', '/v1/users/hana/sms-factor', { phoneNumber: phone });
    expect(resent.body.challenge.id).toBe(challengeId);
    const wrong = await client.call('POST', `/v1/challenges/${challengeId}/verify`, { code: '0000000' });
    expect(wrong.status).toBe(422);
    const verified = await client.call('POST', `/v1/challenges/${challengeId}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status, verified.text).toBe(200);

    const approved = await server.admin('GET', historyPath(client.storeId, challengeId));
    expect(approved.body).toMatchObject({ status: 'approved', attempts: 2 });
    expect(Date.parse(approved.body.approvedAt)).toBeGreaterThanOrEqual(Date.parse(approved.body.createdAt));
    expect(approved.body.sends).toHaveLength(2);
    expect(approved.body.sends[1].providerMessageId).not.toBe(first.providerMessageId);
    expect(approved.body.sends[0].at <= approved.body.sends[1].at).toBe(true);
  });

  it('a challenge through another store, or an unknown one, is not-found', async () => {
    const owner = await clientFor(server);
    const other = await clientFor(server);
    const issued = await owner.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(issued.status, issued.text).toBe(201);
    expect((await server.admin('GET', historyPath(owner.storeId, issued.body.id))).body.purpose).toBe(
      'verify-phone',
    );
    expectProblem(await server.admin('GET', historyPath(other.storeId, issued.body.id)), 404, 'not-found');
    expectProblem(await server.admin('GET', historyPath(owner.storeId, 'ch_unknown')), 404, 'not-found');
  });

  it('a challenge whose only send was refused is failed, with the refused attempt and no message id', async () => {
    const provider = await startFakeProvider();
    try {
      provider.reply({ status: 400, body: { error: 'no' } });
      const gateway = await server.admin('POST', '/admin/gateways', {
        name: `refusing ${Math.random().toString(36).slice(2)}`,
        type: 'custom-http',
        url: `${provider.url}/sms`,
      });
      expect(gateway.status, gateway.text).toBe(201);
      const client = await clientFor(server, { smsAuth: { gatewayId: gateway.body.id } });
      const refused = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
      expectProblem(refused, 502, 'gateway-error');
      const events = await eventLines(server);
      const created = events.findLast(
        (e) => e.type === 'challenge.created' && e.data.storeId === client.storeId,
      );
      const history = await server.admin(
        'GET',
        historyPath(client.storeId, String(created?.data.challengeId)),
      );
      expect(history.status, history.text).toBe(200);
      expect(history.body.status).toBe('failed');
      expect(history.body.sends).toEqual([
        {
          at: expect.any(String),
          gatewayId: gateway.body.id,
          gatewayType: 'custom-http',
          providerMessageId: null,
          outcome: 'refused',
          // Why this gateway (issue 26): the head of the store's linked order.
          route: { mode: 'ordered', choice: 'head' },
          channel: 'sms',
        },
      ]);
    } finally {
      await provider.close();
    }
  });
});
