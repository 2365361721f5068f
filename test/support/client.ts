import { readFile } from 'node:fs/promises';
import { createSmsMfaClient, operationPaths as op, type OperationBody } from '../../client/src/index.ts';
import type { TestResponse, TestServer } from './local-server.ts';

export interface OutboxMessage {
  at: string;
  gatewayId: string;
  to: string;
  body: string;
}

export async function outbox(server: TestServer): Promise<OutboxMessage[]> {
  const text = await readFile(server.outboxFile, 'utf8').catch(() => '');
  // The server appends while tests read: a last line without its newline is still being written.
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxMessage);
}

/** The code in the newest message to `to`, as a user would read it off the phone. */
export async function lastCode(server: TestServer, to: string): Promise<string> {
  const messages = (await outbox(server)).filter((m) => m.to === to);
  const code = /(\d{4,10})/.exec(messages.at(-1)?.body ?? '')?.[1];
  if (!code) throw new Error(`no code was sent to ${to}`);
  return code;
}

/** The answer's data, or an error naming the status and the problem. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(error)}`);
  return data as T;
}

/**
 * A store with SMS enabled on the local console gateway, and a client API key for it: `api` is the typed
 * client (`@sms-mfa/client`) with that key; `call` sends anything, also what the contract refuses.
 */
export async function clientFor(server: TestServer, settings: Record<string, unknown> = {}) {
  const admin = server.adminApi;
  const gateways = await ok(admin.GET(op['gateways-list'], { params: { query: { limit: 100 } } }));
  const gatewayId = gateways.items.find((g) => g.type === 'console')!.id;
  const { smsAuth, ...rest } = settings as { smsAuth?: Record<string, unknown> };
  const store = await ok(
    admin.POST(op['identity-stores-create'], {
      // Tests pass any settings, also ones the API refuses; the API judges them.
      body: {
        name: `Store ${Math.random().toString(36).slice(2)}`,
        smsAuth: { enabled: true, gatewayId, ...smsAuth },
        ...rest,
      } as OperationBody<'identity-stores-create'>,
    }),
  );
  const key = await ok(
    admin.POST(op['api-keys-create'], {
      params: { path: { storeId: store.id } },
      body: { name: 'test app' },
    }),
  );
  const headers = { authorization: `Bearer ${key.key}` };
  const call = (
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<TestResponse> => server.call(method, path, { body, headers: { ...headers, ...extra } });
  const api = createSmsMfaClient({ baseUrl: server.url, apiKey: key.key });
  return { storeId: store.id, gatewayId, key: key.key, call, api };
}

/** Distinct valid UK mobile numbers, so tests do not share send limits. */
let next = 0;
export function mobileNumber(): string {
  next++;
  return `+4474${String((process.pid * 1000 + next) % 100_000_000).padStart(8, '0')}`;
}
