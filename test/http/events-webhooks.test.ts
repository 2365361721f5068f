import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsIn } from '../../shared/domain/events/event-guard.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';
import { standardWebhookValid, startWebhookReceiver } from '../support/webhook-receiver.ts';
import { eventLines as localEventLines, type EventLine } from '../support/local-events.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const eventLines = (): Promise<EventLine[]> => localEventLines(server.dataDir);

describe('webhooks over HTTP against the local server', () => {
  it('enroll + verify: the receiver gets challenge.created, code.sent, challenge.approved, factor.activated, validly signed', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const client = await clientFor(server);
      const created = await server.admin('POST', `/admin/identity-stores/${client.storeId}/webhooks`, {
        url: receiver.url,
      });
      expect(created.status, created.text).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'eventTypes', 'id', 'secret', 'url']);
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
      const listed = await server.admin('GET', `/admin/identity-stores/${client.storeId}/webhooks`);
      expect(listed.status).toBe(200);
      expect(listed.text).not.toContain('whsec_');
      expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([created.body.id]);

      const phone = mobileNumber();
      const enrolled = await client.call('PUT', '/v1/users/alice/sms-factor', { phoneNumber: phone });
      expect(enrolled.status, enrolled.text).toBe(202);
      const challengeId = enrolled.body.challenge.id as string;
      const verified = await client.call('POST', `/v1/challenges/${challengeId}/verify`, {
        code: await lastCode(server, phone),
      });
      expect(verified.status, verified.text).toBe(200);

      const wanted = ['challenge.created', 'code.sent', 'challenge.approved', 'factor.activated'];
      await receiver.until((got) => wanted.every((type) => got.some((r) => r.json.type === type)));
      // Its own creation (an audit event of its store) comes first. The events of one request are
      // delivered in parallel, so their arrival order is not part of the contract (their `timestamp` is).
      const types = receiver.received.map((r) => r.json.type as string);
      expect(types[0]).toBe('admin.webhook.created');
      expect(types.slice(1).sort()).toEqual([...wanted].sort());
      const lifecycle = receiver.received.slice(1);
      expect(receiver.received[0]!.json.data).toEqual({
        actor: 'local-admin',
        storeId: client.storeId,
        webhookId: created.body.id,
      });
      for (const delivery of lifecycle) {
        expect(standardWebhookValid(created.body.secret, delivery.headers, delivery.body)).toBe(true);
        expect(
          standardWebhookValid(
            'whsec_' + Buffer.alloc(32).toString('base64'),
            delivery.headers,
            delivery.body,
          ),
        ).toBe(false);
        expect(delivery.headers['webhook-id']).toMatch(/^evt_/);
        expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
        expect(delivery.json.data).toMatchObject({ storeId: client.storeId, challengeId });
        expect(delivery.body).not.toContain(phone.slice(1));
      }
      const sent = receiver.received.find((r) => r.json.type === 'code.sent')!.json.data;
      expect(sent).toMatchObject({
        gatewayId: client.gatewayId,
        gatewayType: 'console',
        attempt: 1,
        outcome: 'accepted',
        segments: 1,
        test: false,
        country: 'GB',
        maskedPhone: `+44*******${phone.slice(-3)}`,
      });
      expect(sent.estimatedCost).toMatchObject({ currency: 'USD' });

      // events.jsonl holds them too, before the answer that caused them, as { id, type, timestamp, data }.
      const lines = (await eventLines()).filter((line) => line.data.challengeId === challengeId);
      expect(lines.map((line) => line.type)).toEqual(wanted);
      expect(Object.keys(lines[0]!).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
      // The same events; webhooks promise no order (each delivery is recorded, then attempted, on its own),
      // so a receiver orders them by `webhook-timestamp`, as Standard Webhooks says.
      expect(lines.map((line) => line.id).sort()).toEqual(
        lifecycle.map((r) => r.headers['webhook-id']).sort(),
      );
      expect((await stat(join(server.dataDir, 'events.jsonl'))).mode & 0o777).toBe(0o600);
    } finally {
      await receiver.stop();
    }
  });

  it('a receiver answering 500 twice then 204 gets the event three times with the same webhook-id', async () => {
    const receiver = await startWebhookReceiver([500, 500, 204]);
    try {
      const client = await clientFor(server);
      const created = await server.admin('POST', `/admin/identity-stores/${client.storeId}/webhooks`, {
        url: receiver.url,
        eventTypes: ['challenge.created'],
      });
      expect(created.status, created.text).toBe(201);
      const sent = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
      expect(sent.status, sent.text).toBe(201);
      // The real local retries: 1 s, then 2 s.
      await receiver.until((got) => got.length >= 3, 10_000);
      expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 204]);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(receiver.received.every((r) => r.json.type === 'challenge.created')).toBe(true);
      for (const delivery of receiver.received)
        expect(standardWebhookValid(created.body.secret, delivery.headers, delivery.body)).toBe(true);
      await new Promise((ok) => setTimeout(ok, 300));
      expect(receiver.received).toHaveLength(3);
    } finally {
      await receiver.stop();
    }
  });

  it('a webhook receives only its own store’s events; rotate-secret signs with both secrets', async () => {
    const mine = await startWebhookReceiver();
    const theirs = await startWebhookReceiver();
    try {
      const a = await clientFor(server);
      const b = await clientFor(server);
      const hookA = await server.admin('POST', `/admin/identity-stores/${a.storeId}/webhooks`, {
        url: mine.url,
      });
      await server.admin('POST', `/admin/identity-stores/${b.storeId}/webhooks`, { url: theirs.url });
      const rotated = await server.admin(
        'POST',
        `/admin/identity-stores/${a.storeId}/webhooks/${hookA.body.id}/rotate-secret`,
      );
      expect(rotated.status, rotated.text).toBe(201);
      expect(Object.keys(rotated.body)).toEqual(['secret']);
      expect(rotated.body.secret).not.toBe(hookA.body.secret);
      expect((await a.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() })).status).toBe(201);
      await mine.until((got) => got.some((r) => r.json.type === 'code.sent'));
      expect(mine.received.every((r) => r.json.data.storeId === a.storeId)).toBe(true);
      const delivery = mine.received.find((r) => r.json.type === 'code.sent')!;
      expect(delivery.headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(standardWebhookValid(rotated.body.secret, delivery.headers, delivery.body)).toBe(true);
      expect(standardWebhookValid(hookA.body.secret, delivery.headers, delivery.body)).toBe(true);
      await new Promise((ok) => setTimeout(ok, 200));
      // Only store b's own event (its webhook's creation), none of store a's sends.
      expect(theirs.received.map((r) => [r.json.type, r.json.data.storeId])).toEqual([
        ['admin.webhook.created', b.storeId],
      ]);
    } finally {
      await Promise.all([mine.stop(), theirs.stop()]);
    }
  });

  it('a 410 disables the webhook; a 3xx is a failure; URLs follow the outbound rules; unknown ids are 404', async () => {
    const gone = await startWebhookReceiver([410]);
    const redirecting = await startWebhookReceiver([302, 204]);
    try {
      const client = await clientFor(server);
      const path = `/admin/identity-stores/${client.storeId}/webhooks`;
      const hook = await server.admin('POST', path, { url: gone.url, eventTypes: ['challenge.created'] });
      await server.admin('POST', path, { url: redirecting.url, eventTypes: ['challenge.created'] });
      expect((await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() })).status).toBe(
        201,
      );
      await gone.until((got) => got.length >= 1);
      await redirecting.until((got) => got.length >= 2, 5000);
      expect(redirecting.received.map((r) => r.status)).toEqual([302, 204]);
      await new Promise((ok) => setTimeout(ok, 200));
      const listed = await server.admin('GET', path);
      expect(listed.body.items.find((w: { id: string }) => w.id === hook.body.id).disabled).toBe(true);
      expect((await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() })).status).toBe(
        201,
      );
      await new Promise((ok) => setTimeout(ok, 300));
      expect(gone.received).toHaveLength(1);

      for (const url of [
        'https://10.0.0.1/hook',
        'https://169.254.169.254/x',
        'ftp://example.com/x',
        'http://example.com/x',
      ]) {
        expectProblem(await server.admin('POST', path, { url }), 400, 'validation-failed');
      }
      expectProblem(
        await server.admin('POST', path, { url: gone.url, eventTypes: ['nope'] }),
        400,
        'validation-failed',
      );
      expectProblem(await server.admin('DELETE', `${path}/wh_unknown`), 404, 'not-found');
      expectProblem(await server.admin('POST', `${path}/wh_unknown/rotate-secret`), 404, 'not-found');
      expectProblem(
        await server.admin('GET', '/admin/identity-stores/is_unknown/webhooks'),
        404,
        'not-found',
      );
      expectProblem(
        await server.admin('POST', '/admin/identity-stores/is_unknown/webhooks', { url: gone.url }),
        404,
        'not-found',
      );
      expect((await server.admin('DELETE', `${path}/${hook.body.id}`)).status).toBe(204);
      expect((await server.admin('GET', path)).body.items).toHaveLength(1);
    } finally {
      await Promise.all([gone.stop(), redirecting.stop()]);
    }
  });
});

describe('audit events and the events of a whole run', () => {
  it('every admin write produces its audit event with the actor; no event carries a secret', async () => {
    const before = (await eventLines()).length;
    const gateway = await server.admin('POST', '/admin/gateways', {
      name: `Audit ${Math.random()}`,
      type: 'twilio',
      accountId: 'AC0123456789abcdef0123456789abcdef',
      password: 'twilio-auth-token-secret',
      from: '+15005550006',
    });
    expect(gateway.status, gateway.text).toBe(201);
    const gatewayId = gateway.body.id as string;
    expect(
      (await server.admin('PATCH', `/admin/gateways/${gatewayId}`, { name: `Audit ${Math.random()}` }))
        .status,
    ).toBe(200);
    const store = await server.admin('POST', '/admin/identity-stores', { name: `Audit ${Math.random()}` });
    const storeId = store.body.id as string;
    expect(
      (await server.admin('PATCH', `/admin/identity-stores/${storeId}`, { name: `Audit ${Math.random()}` }))
        .status,
    ).toBe(200);
    const key = await server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, { name: 'k' });
    const keyId = key.body.id as string;
    const hook = await server.admin('POST', `/admin/identity-stores/${storeId}/webhooks`, {
      url: 'https://hooks.example.com/sms',
    });
    const webhookId = hook.body.id as string;
    await server.admin('POST', `/admin/identity-stores/${storeId}/webhooks/${webhookId}/rotate-secret`);
    expect(
      (await server.admin('DELETE', `/admin/identity-stores/${storeId}/webhooks/${webhookId}`)).status,
    ).toBe(204);
    expect((await server.admin('DELETE', `/admin/identity-stores/${storeId}/api-keys/${keyId}`)).status).toBe(
      204,
    );
    expect((await server.admin('DELETE', `/admin/identity-stores/${storeId}`)).status).toBe(204);
    expect((await server.admin('DELETE', `/admin/gateways/${gatewayId}`)).status).toBe(204);
    // A refused write (404) is no change: no audit event.
    await server.admin('DELETE', `/admin/gateways/${gatewayId}`);

    const audit = (await eventLines()).slice(before).filter((line) => line.type.startsWith('admin.'));
    expect(audit.map((line) => line.type)).toEqual([
      'admin.gateway.created',
      'admin.gateway.updated',
      'admin.identity-store.created',
      'admin.identity-store.updated',
      'admin.api-key.created',
      'admin.webhook.created',
      'admin.webhook.rotated',
      'admin.webhook.deleted',
      'admin.api-key.deleted',
      'admin.identity-store.deleted',
      'admin.gateway.deleted',
    ]);
    for (const line of audit) expect(line.data.actor).toBe('local-admin');
    expect(audit[0]!.data).toEqual({ actor: 'local-admin', gatewayId });
    expect(audit[2]!.data).toEqual({ actor: 'local-admin', storeId });
    expect(audit[4]!.data).toEqual({ actor: 'local-admin', storeId, keyId });
    expect(audit[5]!.data).toEqual({ actor: 'local-admin', storeId, webhookId });
  });

  it('scans every event of the run: no code, full number, key or password', async () => {
    // Runs last in this file: the events of every test above (sends, verifies, admin writes) are in the file.
    const lines = await eventLines();
    expect(lines.length).toBeGreaterThan(20);
    const text = JSON.stringify(lines);
    for (const forbidden of [
      'whsec_',
      'twilio-auth-token-secret',
      '"code"',
      '"phoneNumber"',
      '"password"',
      '"key"',
    ])
      expect(text).not.toContain(forbidden);
    for (const line of lines) expect(secretsIn(line.data), line.type).toEqual([]);
    const outbox = (await readFile(server.outboxFile, 'utf8')).split('\n').filter(Boolean);
    for (const message of outbox.map((m) => JSON.parse(m) as { to: string; body: string })) {
      expect(text).not.toContain(message.to.slice(1));
      const code = /(\d{4,10})/.exec(message.body)?.[1];
      if (code) expect(text).not.toContain(`"${code}"`);
    }
  });
});
