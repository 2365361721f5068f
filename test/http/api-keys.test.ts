import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const createStore = async (body: Record<string, unknown> = {}) =>
  (await server.admin('POST', '/admin/identity-stores', { name: 'Key store', ...body })).body.id as string;
const createKey = async (storeId: string, name = 'Web app') =>
  (await server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, { name })).body as {
    id: string;
    key: string;
  };
const mfa = (key: string | undefined, query = '') =>
  server.call('GET', `/v1/users/alice/mfa${query}`, {
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });

describe('API keys', () => {
  it('shows the key once, lists without it, and stores only a hash', async () => {
    const storeId = await createStore();
    const created = await server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, {
      name: 'Mobile app',
    });
    expect(created.status, created.text).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['applicationId', 'createdAt', 'id', 'key', 'name']);
    expect(created.body.key.startsWith(`${created.body.id}.`)).toBe(true);

    const list = await server.admin('GET', `/admin/identity-stores/${storeId}/api-keys`);
    expect(list.body.items).toEqual([
      {
        id: created.body.id,
        name: 'Mobile app',
        applicationId: null,
        createdAt: created.body.createdAt,
        lastUsedAt: null,
      },
    ]);

    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    const items = (await documents.send(new ScanCommand({ TableName: server.tableName }))).Items ?? [];
    const secretPart = created.body.key.split('.')[1];
    expect(JSON.stringify(items)).not.toContain(secretPart);
    expect(JSON.stringify(items)).not.toContain(created.body.key);
  });

  it('authenticates /v1 calls and refuses missing, malformed, wrong and revoked keys with 401', async () => {
    const storeId = await createStore();
    const { id, key } = await createKey(storeId);
    expect((await mfa(key)).status).toBe(200);

    expectProblem(await mfa(undefined), 401, 'unauthorized');
    expectProblem(await mfa('not-a-key'), 401, 'unauthorized');
    expectProblem(await mfa(`${id}.${'A'.repeat(43)}`), 401, 'unauthorized');
    expectProblem(await mfa(`${key}x`), 401, 'unauthorized');
    expectProblem(
      await server.call('GET', '/v1/users/alice/mfa', { headers: { authorization: `Basic ${key}` } }),
      401,
      'unauthorized',
    );

    expect((await server.admin('DELETE', `/admin/identity-stores/${storeId}/api-keys/${id}`)).status).toBe(
      204,
    );
    expectProblem(await mfa(key), 401, 'unauthorized');
    expectProblem(
      await server.admin('DELETE', `/admin/identity-stores/${storeId}/api-keys/${id}`),
      404,
      'not-found',
    );
  });

  it('judges the key before the input', async () => {
    expectProblem(await server.call('GET', `/v1/users/${'x'.repeat(200)}/mfa`), 401, 'unauthorized');
  });

  it('keeps keys to their own store', async () => {
    const storeA = await createStore();
    const storeB = await createStore();
    const keyA = await createKey(storeA);
    expectProblem(
      await server.admin('DELETE', `/admin/identity-stores/${storeB}/api-keys/${keyA.id}`),
      404,
      'not-found',
    );
    expect((await mfa(keyA.key)).status).toBe(200);
    expectProblem(await server.admin('GET', '/admin/identity-stores/ids_missing/api-keys'), 404, 'not-found');
    expectProblem(
      await server.admin('POST', '/admin/identity-stores/ids_missing/api-keys', { name: 'x' }),
      404,
      'not-found',
    );
  });

  it('revokes every key of a deleted store', async () => {
    const storeId = await createStore();
    const keys = [await createKey(storeId, 'one'), await createKey(storeId, 'two')];
    expect((await server.admin('DELETE', `/admin/identity-stores/${storeId}`)).status).toBe(204);
    for (const { key } of keys) expectProblem(await mfa(key), 401, 'unauthorized');
  });

  it('records lastUsedAt', async () => {
    const storeId = await createStore();
    const { id, key } = await createKey(storeId);
    await mfa(key);
    const list = await server.admin('GET', `/admin/identity-stores/${storeId}/api-keys`);
    const used = list.body.items.find((k: { id: string }) => k.id === id);
    expect(Date.parse(used.lastUsedAt)).not.toBeNaN();
  });
});

describe('GET /v1/users/{userId}/mfa', () => {
  it('answers from the store settings and the given roles', async () => {
    const gateways = await server.admin('GET', '/admin/gateways');
    const gatewayId = gateways.body.items[0].id;

    const disabled = await createKey(await createStore({ smsAuth: { enabled: false } }));
    expect((await mfa(disabled.key, '?roles=Admins')).body).toEqual({
      userId: 'alice',
      sms: { enabled: false, required: false, status: 'none' },
      nextStep: 'none',
      policy: 'store',
    });

    const optional = await createKey(await createStore({ smsAuth: { enabled: true, gatewayId } }));
    expect((await mfa(optional.key, '?roles=Admins')).body).toEqual({
      userId: 'alice',
      sms: { enabled: true, required: false, status: 'none' },
      nextStep: 'none',
      policy: 'store',
    });

    const enforced = await createKey(
      await createStore({ smsAuth: { enabled: true, gatewayId, enforcedRoles: ['Admins', 'Finance'] } }),
    );
    expect((await mfa(enforced.key, '?roles=users,admins')).body).toEqual({
      userId: 'alice',
      sms: { enabled: true, required: true, status: 'none' },
      nextStep: 'enroll',
      policy: 'store',
    });
    expect((await mfa(enforced.key, '?roles=users')).body.sms.required).toBe(false);
    expect((await mfa(enforced.key)).body.nextStep).toBe('none');
  });

  it('validates the user id', async () => {
    const { key } = await createKey(await createStore());
    const tooLong = await server.call('GET', `/v1/users/${'x'.repeat(129)}/mfa`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expectProblem(tooLong, 400, 'validation-failed');
    const slash = await server.call('GET', '/v1/users/a%2Fb/mfa', {
      headers: { authorization: `Bearer ${key}` },
    });
    expectProblem(slash, 400, 'validation-failed');
  });
});
