import { readFile } from 'node:fs/promises';
import type { TestResponse, TestServer } from './local-server.ts';

export interface OutboxMessage {
  at: string;
  gatewayId: string;
  to: string;
  body: string;
}

export async function outbox(server: TestServer): Promise<OutboxMessage[]> {
  const text = await readFile(server.outboxFile, 'utf8').catch(() => '');
  return text
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

/** A store with SMS enabled on the local console gateway, and a client API key for it. */
export async function clientFor(server: TestServer, settings: Record<string, unknown> = {}) {
  const gateways = await server.admin('GET', '/admin/gateways');
  const gatewayId = gateways.body.items.find((g: { type: string }) => g.type === 'console').id as string;
  const { smsAuth, ...rest } = settings as { smsAuth?: Record<string, unknown> };
  const store = await server.admin('POST', '/admin/identity-stores', {
    name: `Store ${Math.random().toString(36).slice(2)}`,
    smsAuth: { enabled: true, gatewayId, ...smsAuth },
    ...rest,
  });
  if (store.status !== 201) throw new Error(store.text);
  const key = await server.admin('POST', `/admin/identity-stores/${store.body.id}/api-keys`, {
    name: 'test app',
  });
  const headers = { authorization: `Bearer ${key.body.key}` };
  const call = (
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<TestResponse> => server.call(method, path, { body, headers: { ...headers, ...extra } });
  return { storeId: store.body.id as string, gatewayId, key: key.body.key as string, call };
}

/** Distinct valid UK mobile numbers, so tests do not share send limits. */
let next = 0;
export function mobileNumber(): string {
  next++;
  return `+4474${String((process.pid * 1000 + next) % 100_000_000).padStart(8, '0')}`;
}
