import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Sending guarantees", against the local server with its default timeouts: limits hold whatever
 * the providers do, one 12-second deadline, clean reasons.
 */
let server: TestServer;
let provider: FakeProvider;
const hanging: FakeProvider[] = [];

beforeAll(async () => {
  server = await startTestServer();
  provider = await startFakeProvider();
  for (let i = 0; i < 3; i++) hanging.push(await startFakeProvider());
  for (const fake of hanging) fake.reply({ status: 200, body: {}, delayMs: 120_000 });
});
afterAll(async () => {
  await Promise.all([provider.close(), ...hanging.map((fake) => fake.close())]);
  await server.stop();
});

async function customGateway(url: string): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `Custom ${Math.random()}`,
    type: 'custom-http',
    url: `${url}/send`,
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.id;
}

const consoleGatewayId = async () =>
  (await server.admin('GET', '/admin/gateways')).body.items.find(
    (g: { type: string }) => g.type === 'console',
  ).id as string;

describe('limits hold whatever the providers do', () => {
  it.each([
    ['drops the connection after reading the request', { status: 200, drop: true }],
    ['answers 500', { status: 500, body: { error: 'internal' } }],
  ])(
    'a provider that %s: 7 sends with perPhonePer10Minutes 3 reach it at most 3 times',
    async (_label, reply) => {
      provider.reply(reply);
      const gatewayId = await customGateway(provider.url);
      const client = await clientFor(server, {
        smsAuth: { gatewayId },
        codePolicy: { resendIntervalSeconds: 0 },
        sendLimits: { perPhonePer10Minutes: 3 },
      });
      const before = provider.requests.length;
      const phone = mobileNumber();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const answer = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
        statuses.push(answer.status);
        if (answer.status === 429) expectProblem(answer, 429, 'rate-limited');
        else expectProblem(answer, 502, 'gateway-error');
      }
      expect(provider.requests.length - before).toBeLessThanOrEqual(3);
      expect(statuses.slice(3)).toEqual([429, 429, 429, 429]);
      expect(statuses).not.toContain(500);
    },
  );

  it('a provider that refuses with a 4xx does not use up the limit: the refused send is handed back', async () => {
    provider.reply({ status: 400, body: { error: 'bad request' } });
    const gatewayId = await customGateway(provider.url);
    const client = await clientFor(server, {
      smsAuth: { gatewayId },
      codePolicy: { resendIntervalSeconds: 0 },
      sendLimits: { perPhonePer10Minutes: 2 },
    });
    const phone = mobileNumber();
    for (let i = 0; i < 4; i++) {
      expectProblem(
        await client.call('POST', '/v1/verifications', { phoneNumber: phone }),
        502,
        'gateway-error',
      );
    }
  });

  it('an unknown outcome is not repeated on the same gateway; the fallback may be tried and counts again', async () => {
    provider.reply({ status: 503, body: { error: 'busy' } });
    const primary = await customGateway(provider.url);
    const client = await clientFor(server, {
      smsAuth: { gatewayId: primary, fallbackGatewayIds: [await consoleGatewayId()] },
      codePolicy: { resendIntervalSeconds: 0 },
      sendLimits: { perPhonePer10Minutes: 3 },
    });
    const before = provider.requests.length;
    const phone = mobileNumber();
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: phone })).status).toBe(201);
    expect(provider.requests.length - before).toBe(1);
    // Two provider requests were counted: the third send finds one left, tries the primary (unknown) and
    // then has no count left for the fallback.
    const second = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expectProblem(second, 502, 'gateway-error');
    expect(second.body.detail).toContain('send limits');
    expectProblem(
      await client.call('POST', '/v1/verifications', { phoneNumber: phone }),
      429,
      'rate-limited',
    );
    expect(provider.requests.length - before).toBe(2);
  });
});

describe('one deadline', () => {
  it('a primary that never answers, with a console fallback: 201 within 12 s and one message', async () => {
    const primary = await customGateway(hanging[0]!.url);
    const client = await clientFor(server, {
      smsAuth: { gatewayId: primary, fallbackGatewayIds: [await consoleGatewayId()] },
    });
    const phone = mobileNumber();
    const started = Date.now();
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(sent.status, sent.text).toBe(201);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect((await outbox(server)).filter((m) => m.to === phone)).toHaveLength(1);
  });

  it('gateways that never answer: 502 within 12 s, nothing in flight after the answer, nothing sent later', async () => {
    const ids = await Promise.all(hanging.map((fake) => customGateway(fake.url)));
    const client = await clientFor(server, {
      smsAuth: { gatewayId: ids[0], fallbackGatewayIds: [ids[1], ids[2], await consoleGatewayId()] },
    });
    const counts = () => hanging.map((fake) => fake.requests.length);
    const before = counts();
    const abandonedBefore = hanging.reduce((n, fake) => n + fake.abandoned(), 0);
    const phone = mobileNumber();
    const started = Date.now();
    const failed = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const elapsed = Date.now() - started;
    expectProblem(failed, 502, 'gateway-error');
    expect(elapsed).toBeLessThan(12_000);
    const tried = counts().map((n, i) => n - before[i]!);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Every request that was started was aborted by the answer, and none started after it.
    expect(counts().map((n, i) => n - before[i]!)).toEqual(tried);
    const started2 = tried.reduce((a, b) => a + b, 0);
    expect(hanging.reduce((n, fake) => n + fake.abandoned(), 0) - abandonedBefore).toBe(started2);
    // The deadline left no time for the console fallback, and no code was delivered there either.
    expect((await outbox(server)).filter((m) => m.to === phone)).toHaveLength(0);
  }, 30_000);
});

describe('test connection', () => {
  it('keeps the deadline too: a gateway that never answers is a 502 within 12 s', async () => {
    const id = await customGateway(hanging[0]!.url);
    const started = Date.now();
    const failed = await server.admin('POST', `/admin/gateways/${id}/test`, { phoneNumber: '+447400123456' });
    expectProblem(failed, 502, 'gateway-error');
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});

describe('Amazon SNS', () => {
  let sns: Server;
  let publishes = 0;
  beforeAll(async () => {
    sns = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        publishes++;
        response.writeHead(500, { 'content-type': 'text/xml' });
        response.end('<ErrorResponse><Error><Code>InternalError</Code></Error></ErrorResponse>');
      });
    });
    await new Promise<void>((resolve) => sns.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => sns.close(() => resolve())));

  it('a failing SNS endpoint sees exactly one Publish per attempt (no SDK retries)', async () => {
    const address = sns.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const created = await server.admin('POST', '/admin/gateways', {
      name: `SNS ${Math.random()}`,
      type: 'aws-sns',
      url: `http://127.0.0.1:${port}`,
    });
    expect(created.status, created.text).toBe(201);
    const client = await clientFor(server, { smsAuth: { gatewayId: created.body.id } });
    const before = publishes;
    expectProblem(
      await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }),
      502,
      'gateway-error',
    );
    expect(publishes - before).toBe(1);
  });
});
