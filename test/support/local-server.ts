import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createSmsMfaClient, type SmsMfaClient } from '../../client/src/index.ts';
import { startLocalStack, type LocalStack } from '../../local/local-stack.ts';
import { jsonOrUndefined } from '../../shared/http/json-text.ts';

export interface TestServer extends LocalStack {
  /** The admin API through the typed client (`@sms-mfa/client`), with the admin token. */
  adminApi: SmsMfaClient;
  /** Any request, also one the contract refuses (a wrong body, path or media type); JSON parsed if any. */
  admin(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<TestResponse>;
  call(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  text: string;
}

/** The local server in this test process, on its own table in the shared DynamoDB Local. */
export async function startTestServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-test-'));
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    adminToken: randomBytes(16).toString('hex'),
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: `http-${randomBytes(6).toString('hex')}`,
  });
  const call: TestServer['call'] = async (method, path, init = {}) => {
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body);
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: jsonOrUndefined(text), text };
  };
  return {
    ...stack,
    adminApi: createSmsMfaClient({ baseUrl: stack.url, adminToken: stack.adminToken }),
    call,
    admin: (method, path, body, headers = {}) =>
      call(method, path, { body, headers: { authorization: `Bearer ${stack.adminToken}`, ...headers } }),
  };
}
