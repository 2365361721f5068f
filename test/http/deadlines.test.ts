import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OKTA_ANSWER_MS, SEND_DEADLINE_MS } from '../../shared/domain/sending/deadline.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * api.md "Deadlines count from arrival": under a burst of parallel requests whose providers never answer,
 * each answer still comes within its deadline of the request's arrival at the server.
 */
let server: TestServer;
let hanging: FakeProvider;
beforeAll(async () => {
  server = await startTestServer();
  hanging = await startFakeProvider();
  hanging.reply({ status: 200, body: {}, delayMs: 120_000 });
});
afterAll(async () => {
  await hanging.close();
  await server.stop();
});

async function hangingGateway(): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `Hanging ${Math.random().toString(36).slice(2)}`,
    type: 'custom-http',
    url: `${hanging.url}/send`,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** When the server received each tagged request and when it finished the answer (same process). */
const arrived = new Map<string, number>();
const answered = new Map<string, number>();
const onStart = ({ request }: { request: IncomingMessage }) => {
  const tag = request.headers['x-burst'];
  if (typeof tag === 'string') arrived.set(tag, performance.now());
};
const onFinish = ({ request }: { request: IncomingMessage }) => {
  const tag = request.headers['x-burst'];
  if (typeof tag === 'string') answered.set(tag, performance.now());
};
beforeAll(() => {
  diagnostics.subscribe('http.server.request.start', onStart as (message: unknown) => void);
  diagnostics.subscribe('http.server.response.finish', onFinish as (message: unknown) => void);
});
afterAll(() => {
  diagnostics.unsubscribe('http.server.request.start', onStart as (message: unknown) => void);
  diagnostics.unsubscribe('http.server.response.finish', onFinish as (message: unknown) => void);
});

/**
 * Sends all at once, each tagged; each answer with the milliseconds from the request's arrival at the
 * server to its answer (the server reads the request after it arrived, so its deadline starts later).
 */
function timed<T>(count: number, send: (tag: Record<string, string>, index: number) => Promise<T>) {
  const run = Math.random().toString(36).slice(2);
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const tag = `${run}-${index}`;
      const answer = await send({ 'x-burst': tag }, index);
      return { answer, elapsed: answered.get(tag)! - arrived.get(tag)! };
    }),
  );
}

describe('deadlines under a burst', () => {
  it(`20 parallel okta hooks all answer within ${OKTA_ANSWER_MS} ms`, async () => {
    const { storeId } = await clientFor(server, { smsAuth: { gatewayId: await hangingGateway() } });
    const integration = await server.admin('POST', `/admin/identity-stores/${storeId}/integrations`, {
      kind: 'okta',
      name: 'okta burst',
    });
    expect(integration.status, integration.text).toBe(201);
    const { id, secret } = integration.body as { id: string; secret: string };
    const results = await timed(20, (tag, index) =>
      server.call('POST', `/hooks/${id}`, {
        headers: { authorization: `Bearer ${secret}`, ...tag },
        body: {
          eventId: `evt-burst-${index}`,
          data: {
            messageProfile: {
              msgTemplate: 'Your code is ${code}',
              phoneNumber: mobileNumber(),
              otpCode: String(100_000 + index),
              deliveryChannel: 'SMS',
            },
          },
        },
      }),
    );
    for (const { answer, elapsed } of results) {
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.error.errorSummary).toBeTypeOf('string');
      expect(elapsed).toBeLessThan(OKTA_ANSWER_MS);
    }
  });

  it(`45 parallel /v1 sends all answer within ${SEND_DEADLINE_MS} ms`, async () => {
    const client = await clientFor(server, {
      smsAuth: { gatewayId: await hangingGateway(), fallbackGatewayIds: [await hangingGateway()] },
      // The burst's numbers share a prefix; the fraud guard is not what this test is about.
      fraudGuard: { maxUnverifiedPerPrefixPerHour: 1000 },
    });
    const results = await timed(45, (tag) =>
      client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }, tag),
    );
    for (const { answer, elapsed } of results) {
      expect(answer.status, answer.text).toBe(502);
      expect(elapsed).toBeLessThan(SEND_DEADLINE_MS);
    }
  });
});
