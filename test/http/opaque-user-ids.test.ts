import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { eventLines as localEventLines, type EventLine } from '../support/local-events.ts';

/**
 * api.md "Opaque identifiers": a `userId` of 1..128 code points without `/` works on every `/v1` route
 * whatever it looks like, path segments are percent-decoded exactly once, and events and webhooks carry
 * the id as given (issue 23: all-digit ids and ids holding a run of 7-15 digits answered 500).
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const eventLines = (): Promise<EventLine[]> => localEventLines(server.dataDir);

/** Each id, and the path segment a client sends for it (percent-encoded UTF-8 unless said otherwise). */
const IDS: { name: string; userId: string; segment?: string }[] = [
  { name: '4 digits', userId: '1234' },
  { name: '10 digits (a code shape)', userId: '1234567890' },
  { name: '13 digits (a millisecond timestamp)', userId: '1765044228000' },
  { name: '20-digit snowflake', userId: '12345678901234567890' },
  { name: 'a run of 13 digits inside', userId: 'victim-0-1765044228000' },
  { name: 'a phone number, its + sent as is', userId: '+447400123456', segment: '+447400123456' },
  { name: 'an e-mail address', userId: 'alice.o+mfa@example.com' },
  { name: 'a UUID', userId: '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60' },
  { name: 'Cyrillic letters', userId: 'Пользователь-Иван' },
  { name: 'CJK letters', userId: '用户名ユーザー사용자' },
  { name: 'spaces and an accent, %-encoded', userId: 'Zoë O Brien' },
  { name: 'a literal %2F, decoded once', userId: 'a%2Fb 100%', segment: 'a%252Fb%20100%25' },
  { name: 'control characters (NUL, tab)', userId: 'nul\u0000tab\tend' },
  { name: 'a key-like and a whsec-like id', userId: 'whsec_ak_user.0123456789abcdefghijklmnop' },
  { name: '128 code points (astral, 256 UTF-16 units)', userId: '😀'.repeat(128) },
  { name: '128 ASCII characters', userId: 'u'.repeat(120) + '12345678' },
];

describe('any user id works on every /v1 route and is carried as given', () => {
  it.each(IDS)('$name: enroll, verify, authenticate, verify, replace with approval, delete', async (id) => {
    const receiver = await startWebhookReceiver();
    try {
      const client = await clientFor(server);
      const hooked = await server.admin('POST', `/admin/identity-stores/${client.storeId}/webhooks`, {
        url: receiver.url,
      });
      expect(hooked.status, hooked.text).toBe(201);
      const user = `/v1/users/${id.segment ?? encodeURIComponent(id.userId)}`;
      const [first, second] = [mobileNumber(), mobileNumber()];

      const before = await client.call('GET', `${user}/mfa`);
      expect(before.status, before.text).toBe(200);
      expect(before.body).toMatchObject({ userId: id.userId, sms: { status: 'none' } });

      const enrolled = await client.call('PUT', `${user}/sms-factor`, { phoneNumber: first });
      expect(enrolled.status, enrolled.text).toBe(202);
      const activated = await client.call('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, {
        code: await lastCode(server, first),
      });
      expect(activated.status, activated.text).toBe(200);
      expect(activated.body).toMatchObject({ status: 'approved', purpose: 'enroll', userId: id.userId });
      expect((await client.call('GET', `${user}/sms-factor`)).body.status).toBe('active');

      const challenge = await client.call('POST', `${user}/sms-factor/challenges`);
      expect(challenge.status, challenge.text).toBe(201);
      const approved = await client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, {
        code: await lastCode(server, first),
      });
      expect(approved.status, approved.text).toBe(200);
      expect(approved.body).toMatchObject({ purpose: 'authenticate', userId: id.userId });

      // The replacement with approval (issue 23 saw it answer 500 for such ids too).
      const replacing = await client.call('PUT', `${user}/sms-factor`, {
        phoneNumber: second,
        approvedChallengeId: challenge.body.id,
      });
      expect(replacing.status, replacing.text).toBe(202);
      const replaced = await client.call('POST', `/v1/challenges/${replacing.body.challenge.id}/verify`, {
        code: await lastCode(server, second),
      });
      expect(replaced.status, replaced.text).toBe(200);
      expect((await client.call('GET', `${user}/sms-factor`)).body.maskedPhone).toBe(
        `+44*******${second.slice(-3)}`,
      );

      const seen = await server.admin(
        'GET',
        `/admin/identity-stores/${client.storeId}/challenges/${challenge.body.id}`,
      );
      expect(seen.status, seen.text).toBe(200);
      expect(seen.body.userId).toBe(id.userId);

      // Every event of this user's challenges, in events.jsonl and at the webhook, carries the id as given.
      const challengeIds = [enrolled.body.challenge.id, challenge.body.id, replacing.body.challenge.id];
      const wanted = [
        'challenge.created',
        'code.sent',
        'challenge.approved',
        'factor.activated',
        'factor.replaced',
      ];
      const ours = (await eventLines()).filter(
        (e) => e.data.storeId === client.storeId && !e.type.startsWith('admin.'),
      );
      expect(new Set(ours.map((e) => e.type))).toEqual(new Set(wanted));
      expect(ours.filter((e) => challengeIds.includes(e.data.challengeId as string))).toHaveLength(
        ours.length,
      );
      for (const event of ours) expect(event.data.userId, event.type).toBe(id.userId);

      // Admin events carry no user: the store's setup (its key, its webhook) published them around the
      // webhook's creation, and whether the dispatch found the webhook for them is a matter of timing.
      const userEvents = (got: typeof receiver.received) =>
        got.filter((r) => !String(r.json.type).startsWith('admin.'));
      await receiver.until((got) => userEvents(got).length >= ours.length);
      const delivered = userEvents(receiver.received);
      expect(delivered.map((r) => r.json.data.userId)).toEqual(delivered.map(() => id.userId));

      expect((await client.call('DELETE', `${user}/sms-factor`)).status).toBe(204);
      expectProblem(await client.call('GET', `${user}/sms-factor`), 404, 'not-found');
      const removed = (await eventLines()).filter(
        (e) => e.type === 'factor.removed' && e.data.storeId === client.storeId,
      );
      expect(removed.map((e) => e.data.userId)).toEqual([id.userId]);
    } finally {
      await receiver.stop();
    }
  });
});

describe('ids the contract refuses are documented problems, never 5xx', () => {
  it('129 code points is 400 at path.userId on every user route', async () => {
    const client = await clientFor(server);
    for (const userId of ['😀'.repeat(129), 'u'.repeat(129)]) {
      const user = `/v1/users/${encodeURIComponent(userId)}`;
      for (const [method, path, body] of [
        ['GET', `${user}/mfa`],
        ['GET', `${user}/sms-factor`],
        ['PUT', `${user}/sms-factor`, { phoneNumber: mobileNumber() }],
        ['DELETE', `${user}/sms-factor`],
        ['POST', `${user}/sms-factor/challenges`],
      ] as const) {
        const answer = await client.call(method, path, body);
        expectProblem(answer, 400, 'validation-failed');
        expect(new Set(answer.body.errors.map((e: { path: string }) => e.path))).toEqual(
          new Set(['path.userId']),
        );
      }
    }
  });

  it('%2F is refused like /, a malformed escape is 404, both as problems', async () => {
    const client = await clientFor(server);
    const slash = await client.call('PUT', '/v1/users/a%2Fb/sms-factor', { phoneNumber: mobileNumber() });
    expectProblem(slash, 400, 'validation-failed');
    expectProblem(await client.call('GET', '/v1/users/a/b/sms-factor'), 404, 'not-found');
    expectProblem(await client.call('GET', '/v1/users/%E0%A4%A/mfa'), 404, 'not-found');
    // A lone surrogate is no Unicode text: its UTF-8 form is invalid, so it cannot be decoded.
    expectProblem(await client.call('GET', '/v1/users/%ED%A0%80/mfa'), 404, 'not-found');
  });
});
