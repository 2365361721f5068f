import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';
import { standardWebhookValid, startWebhookReceiver } from '../support/webhook-receiver.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastAttemptAt?: string;
  lastStatusCode?: number;
  nextAttemptAt?: string;
}

const hooks = (storeId: string) => `/admin/identity-stores/${storeId}/webhooks`;

async function createHook(storeId: string, url: string, eventTypes: string[]) {
  const created = await server.admin('POST', hooks(storeId), { url, eventTypes });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: string; secret: string };
}

async function deliveries(storeId: string, webhookId: string, query = ''): Promise<Delivery[]> {
  const listed = await server.admin('GET', `${hooks(storeId)}/${webhookId}/deliveries${query}`);
  expect(listed.status, listed.text).toBe(200);
  return listed.body.items as Delivery[];
}

/** Polls the list (bounded) until `done` holds for the delivery `id`. */
async function deliveryUntil(storeId: string, webhookId: string, id: string, done: (d: Delivery) => boolean) {
  const end = Date.now() + 10_000;
  for (;;) {
    const found = (await deliveries(storeId, webhookId)).find((d) => d.id === id);
    if (found && done(found)) return found;
    if (Date.now() > end) throw new Error(`delivery ${id}: condition not met, last ${JSON.stringify(found)}`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

const retry = (storeId: string, webhookId: string, id: string) =>
  server.admin('POST', `${hooks(storeId)}/${webhookId}/deliveries/${id}/retry`);

async function enroll(client: Awaited<ReturnType<typeof clientFor>>, user: string) {
  const enrolled = await client.call('PUT', `/v1/users/${user}/sms-factor`, { phoneNumber: mobileNumber() });
  expect(enrolled.status, enrolled.text).toBe(202);
}

/** A receiver whose answers wait until released: an attempt stays in flight meanwhile. */
async function startHeldReceiver() {
  const held: Array<() => void> = [];
  const ids: string[] = [];
  const server: Server = createServer((request, response) => {
    ids.push(request.headers['webhook-id'] as string);
    request.resume();
    request.on('end', () => held.push(() => response.writeHead(204).end()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    ids,
    held,
    releaseAll: () => held.splice(0).forEach((release) => release()),
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

async function until(done: () => boolean) {
  const end = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

describe('webhook deliveries over HTTP against the local server', () => {
  it('a receiver answering 500 then 200 shows failed then succeeded; a retry re-delivers with the same webhook-id, newly signed', async () => {
    const receiver = await startWebhookReceiver([500, 200]);
    try {
      const client = await clientFor(server);
      const hook = await createHook(client.storeId, receiver.url, ['challenge.created']);
      expect(await deliveries(client.storeId, hook.id)).toEqual([]);
      await enroll(client, 'alice');

      await receiver.until((got) => got.length >= 1);
      const id = receiver.received[0]!.headers['webhook-id']!;
      const failed = await deliveryUntil(client.storeId, hook.id, id, (d) => d.attempts === 1);
      expect(failed).toMatchObject({
        id,
        eventType: 'challenge.created',
        status: 'failed',
        lastStatusCode: 500,
      });
      // The next local attempt is due 1 s after the failed one.
      expect(Date.parse(failed.nextAttemptAt!) - Date.parse(failed.lastAttemptAt!)).toBe(1000);

      const succeeded = await deliveryUntil(client.storeId, hook.id, id, (d) => d.status === 'succeeded');
      expect(succeeded).toMatchObject({ attempts: 2, lastStatusCode: 200 });
      expect(succeeded).not.toHaveProperty('nextAttemptAt');
      expect(Object.values(succeeded)).not.toContain(null);

      const retried = await retry(client.storeId, hook.id, id);
      expect(retried.status, retried.text).toBe(202);
      await receiver.until((got) => got.length >= 3);
      const [first, , again] = receiver.received;
      expect(again!.headers['webhook-id']).toBe(id);
      expect(again!.body).toBe(first!.body);
      expect(Number(again!.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
        Number(first!.headers['webhook-timestamp']),
      );
      expect(standardWebhookValid(hook.secret, again!.headers, again!.body)).toBe(true);
      const after = await deliveryUntil(client.storeId, hook.id, id, (d) => d.attempts === 3);
      expect(after).toMatchObject({ status: 'succeeded', lastStatusCode: 204 });
    } finally {
      await receiver.stop();
    }
  });

  it('lists newest first with pages, and answers 404 for another webhook’s or store’s delivery', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const client = await clientFor(server);
      const other = await clientFor(server);
      const hook = await createHook(client.storeId, receiver.url, ['challenge.created']);
      const sibling = await createHook(client.storeId, receiver.url, ['factor.activated']);
      const foreign = await createHook(other.storeId, receiver.url, ['challenge.created']);
      await enroll(client, 'bob');
      await enroll(client, 'carol');
      await receiver.until((got) => got.length >= 2);
      const ids = receiver.received.map((r) => r.headers['webhook-id']!);
      await deliveryUntil(client.storeId, hook.id, ids[1]!, (d) => d.status === 'succeeded');

      const [newest, ...rest] = await deliveries(client.storeId, hook.id, '?limit=1');
      expect(rest).toEqual([]);
      expect(newest!.id).toBe([...ids].sort().at(-1));
      const firstPage = await server.admin('GET', `${hooks(client.storeId)}/${hook.id}/deliveries?limit=1`);
      const second = await server.admin(
        'GET',
        `${hooks(client.storeId)}/${hook.id}/deliveries?limit=1&nextToken=${firstPage.body.nextToken}`,
      );
      expect(second.body.items.map((d: Delivery) => d.id)).toEqual([[...ids].sort()[0]]);

      const id = ids[0]!;
      // The event was not delivered to the sibling webhook; the webhook is not of the other store.
      expectProblem(await retry(client.storeId, sibling.id, id), 404, 'not-found');
      expectProblem(await retry(other.storeId, hook.id, id), 404, 'not-found');
      expectProblem(await retry(other.storeId, foreign.id, id), 404, 'not-found');
      expectProblem(
        await server.admin('GET', `${hooks(other.storeId)}/${hook.id}/deliveries`),
        404,
        'not-found',
      );
      expect(await deliveries(client.storeId, sibling.id)).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('answers 409 while an attempt is in flight, automatic or retried', async () => {
    const receiver = await startHeldReceiver();
    try {
      const client = await clientFor(server);
      const hook = await createHook(client.storeId, receiver.url, ['challenge.created']);
      await enroll(client, 'dave');
      await until(() => receiver.held.length === 1);
      const id = receiver.ids[0]!;
      expectProblem(await retry(client.storeId, hook.id, id), 409, 'conflict');
      receiver.releaseAll();
      await deliveryUntil(client.storeId, hook.id, id, (d) => d.status === 'succeeded');

      expect((await retry(client.storeId, hook.id, id)).status).toBe(202);
      // Locally the attempt starts before the 202: a second retry meets it in flight.
      expectProblem(await retry(client.storeId, hook.id, id), 409, 'conflict');
      await until(() => receiver.held.length === 1);
      receiver.releaseAll();
      const done = await deliveryUntil(client.storeId, hook.id, id, (d) => d.attempts === 2);
      expect(done).toMatchObject({ status: 'succeeded', lastStatusCode: 204 });
      expect(receiver.ids).toEqual([id, id]);
    } finally {
      receiver.releaseAll();
      await receiver.stop();
    }
  });

  it('sms-mfa webhooks deliveries lists them and webhooks retry re-delivers (404 for an unknown delivery)', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const client = await clientFor(server);
      const hook = await createHook(client.storeId, receiver.url, ['challenge.created']);
      await enroll(client, 'erin');
      await receiver.until((got) => got.length >= 1);
      const id = receiver.received[0]!.headers['webhook-id']!;
      await deliveryUntil(client.storeId, hook.id, id, (d) => d.status === 'succeeded');
      const cli = async (argv: string[]) => {
        const lines: string[] = [];
        const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
        const env = { SMS_MFA_URL: server.url, SMS_MFA_ADMIN_TOKEN: server.adminToken };
        const code = await run(argv, env, io);
        return { code, json: JSON.parse(lines.join('')) as Record<string, unknown> };
      };
      const listed = await cli(['webhooks', 'deliveries', client.storeId, hook.id]);
      expect(listed.code).toBe(0);
      expect(listed.json.items).toEqual([
        expect.objectContaining({ id, status: 'succeeded', attempts: 1, lastStatusCode: 204 }),
      ]);
      const retried = await cli(['webhooks', 'retry', client.storeId, hook.id, id]);
      expect(retried).toEqual({ code: 0, json: { id } });
      await receiver.until((got) => got.length >= 2);
      expect(receiver.received[1]!.headers['webhook-id']).toBe(id);
      const unknown = await cli(['webhooks', 'retry', client.storeId, hook.id, 'evt_unknown']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.json.status).toBe(404);
    } finally {
      await receiver.stop();
    }
  });
});
