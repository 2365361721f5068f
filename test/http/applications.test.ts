import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function consoleGateway(): Promise<string> {
  const gateways = await server.admin('GET', '/admin/gateways');
  return gateways.body.items.find((g: { type: string }) => g.type === 'console').id as string;
}

async function store(smsAuth: Record<string, unknown> = {}) {
  const created = await server.admin('POST', '/admin/identity-stores', {
    name: `Store ${Math.random().toString(36).slice(2)}`,
    smsAuth: { gatewayId: await consoleGateway(), ...smsAuth },
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

const apps = (storeId: string) => `/admin/identity-stores/${storeId}/applications`;

async function app(storeId: string, body: Record<string, unknown> = {}) {
  const created = await server.admin('POST', apps(storeId), { name: 'Portal', ...body });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

async function key(storeId: string, applicationId?: string): Promise<string> {
  const created = await server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, {
    name: 'key',
    ...(applicationId ? { applicationId } : {}),
  });
  expect(created.status, created.text).toBe(201);
  expect(created.body.applicationId).toBe(applicationId ?? null);
  return created.body.key as string;
}

const as = (apiKey: string) => (method: string, path: string, body?: unknown) =>
  server.call(method, path, { body, headers: { authorization: `Bearer ${apiKey}` } });

describe('application routes', () => {
  it('create, get, list with pages, merge patch with If-Match, delete', async () => {
    const storeId = await store();
    const created = await server.admin('POST', apps(storeId), { name: 'Front desk' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^app_/),
      name: 'Front desk',
      mfaPolicy: null,
      messageOptions: { originDomain: null, androidAppHash: null },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    const item = `${apps(storeId)}/${created.body.id}`;
    expect((await server.admin('GET', item)).body).toEqual(created.body);

    const patched = await server.admin(
      'PATCH',
      item,
      { mfaPolicy: { enabled: true, enforcedRoles: ['admin'] } },
      { 'if-match': '"1"' },
    );
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Front desk',
      mfaPolicy: { enabled: true, enforcedRoles: ['admin'], identitySources: [] },
      version: 2,
    });
    // Nested objects merge: only identitySources changes.
    const merged = await server.admin('PATCH', item, { mfaPolicy: { identitySources: ['google'] } });
    expect(merged.body.mfaPolicy).toEqual({
      enabled: true,
      enforcedRoles: ['admin'],
      identitySources: ['google'],
    });
    expectProblem(await server.admin('PATCH', item, { name: 'x' }, { 'if-match': '"1"' }), 409, 'conflict');
    // null: follow the store again.
    expect((await server.admin('PATCH', item, { mfaPolicy: null })).body.mfaPolicy).toBeNull();

    await app(storeId, { name: 'Second' });
    await app(storeId, { name: 'Third' });
    const first = await server.admin('GET', `${apps(storeId)}?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const rest = await server.admin('GET', `${apps(storeId)}?limit=2&nextToken=${first.body.nextToken}`);
    expect(rest.body.items.map((a: { name: string }) => a.name)).toEqual(['Third']);
    expect(rest.body.nextToken).toBeUndefined();

    expectProblem(await server.admin('DELETE', item, undefined, { 'if-match': '"1"' }), 409, 'conflict');
    expect((await server.admin('DELETE', item)).status).toBe(204);
    expectProblem(await server.admin('GET', item), 404, 'not-found');
    expectProblem(await server.admin('DELETE', item), 404, 'not-found');
  });

  it('answers 400 per field, 404 for unknown ids and stores', async () => {
    const storeId = await store();
    const bad = await server.admin('POST', apps(storeId), {
      name: '',
      mfaPolicy: { enabled: 'yes', enforcedRoles: Array(101).fill('r'), identitySources: [''] },
      extra: 1,
    });
    expectProblem(bad, 400, 'validation-failed');
    expect(errorPaths(bad)).toEqual(
      expect.arrayContaining([
        'mfaPolicy.enabled',
        'mfaPolicy.enforcedRoles',
        'mfaPolicy.identitySources.0',
        'name',
      ]),
    );
    expectProblem(await server.admin('POST', apps('ids_unknown'), { name: 'a' }), 404, 'not-found');
    expectProblem(await server.admin('GET', apps('ids_unknown')), 404, 'not-found');
    expectProblem(await server.admin('GET', `${apps(storeId)}/app_unknown`), 404, 'not-found');
    const otherStore = await store();
    const foreign = await app(otherStore);
    expectProblem(await server.admin('GET', `${apps(storeId)}/${foreign}`), 404, 'not-found');
    const keyOfForeign = await server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, {
      name: 'k',
      applicationId: foreign,
    });
    expectProblem(keyOfForeign, 400, 'validation-failed');
    expect(errorPaths(keyOfForeign)).toEqual(['applicationId']);
  });
});

describe('effective policy', () => {
  const mfa = (apiKey: string, query: string) => as(apiKey)('GET', `/v1/users/u1/mfa?${query}`);

  it('the mfa answer: store policy, application policy, identity sources, roles either way', async () => {
    const storeId = await store({ enabled: true, enforcedRoles: ['staff'], identitySources: ['ldap'] });
    const storeKey = await key(storeId);
    const appKey = await key(
      storeId,
      await app(storeId, {
        mfaPolicy: { enabled: true, enforcedRoles: ['admin'], identitySources: ['google'] },
      }),
    );
    const followerKey = await key(storeId, await app(storeId, { name: 'Follower' }));

    // The store's policy: staff must, admins may; its identity sources apply.
    expect((await mfa(storeKey, 'roles=staff')).body).toEqual({
      userId: 'u1',
      sms: { enabled: true, required: true, status: 'none' },
      nextStep: 'enroll',
      policy: 'store',
    });
    expect((await mfa(storeKey, 'roles=admin')).body.sms.required).toBe(false);
    expect((await mfa(followerKey, 'roles=staff')).body).toMatchObject({
      sms: { required: true },
      policy: 'store',
    });
    expect((await mfa(storeKey, 'roles=staff&identitySource=ldap')).body.sms.required).toBe(true);
    expect((await mfa(storeKey, 'roles=staff&identitySource=google')).body).toMatchObject({
      sms: { enabled: false, required: false },
      nextStep: 'none',
      policy: 'store',
    });

    // The application's own policy: admins must, staff need not; its sources, not the store's.
    expect((await mfa(appKey, 'roles=admin')).body).toMatchObject({
      sms: { enabled: true, required: true },
      nextStep: 'enroll',
      policy: 'application',
    });
    expect((await mfa(appKey, 'roles=staff')).body).toMatchObject({
      sms: { enabled: true, required: false },
      nextStep: 'none',
      policy: 'application',
    });
    expect((await mfa(appKey, 'roles=admin&identitySource=google')).body.sms.required).toBe(true);
    expect((await mfa(appKey, 'roles=admin&identitySource=ldap')).body).toMatchObject({
      sms: { enabled: false, required: false },
      nextStep: 'none',
      policy: 'application',
    });
  });

  it('a store with SMS off refuses its own key on every send route and serves an app that enables it', async () => {
    const storeId = await store({ enabled: false });
    const storeKey = as(await key(storeId));
    const appKey = as(await key(storeId, await app(storeId, { mfaPolicy: { enabled: true } })));
    const offKey = as(await key(storeId, await app(storeId, { mfaPolicy: { enabled: false } })));
    for (const client of [storeKey, offKey]) {
      expectProblem(
        await client('PUT', '/v1/users/u1/sms-factor', { phoneNumber: mobileNumber() }),
        409,
        'sms-disabled',
      );
      expectProblem(
        await client('POST', '/v1/verifications', { phoneNumber: mobileNumber() }),
        409,
        'sms-disabled',
      );
    }
    const phone = mobileNumber();
    const enrolled = await appKey('PUT', '/v1/users/u2/sms-factor', { phoneNumber: phone });
    expect(enrolled.status, enrolled.text).toBe(202);
    const code = await lastCode(server, phone);
    const verified = await appKey('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, { code });
    expect(verified.status, verified.text).toBe(200);
    const verification = await appKey('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(verification.status, verification.text).toBe(201);
    // The user enrolled through the application; the store's own key may still not send to it.
    const signIn = await appKey('POST', '/v1/users/u2/sms-factor/challenges');
    expect(signIn.status, signIn.text).toBe(201);
    expectProblem(await storeKey('POST', '/v1/users/u2/sms-factor/challenges'), 409, 'sms-disabled');
    expect((await storeKey('GET', '/v1/users/u2/mfa')).body).toMatchObject({
      sms: { enabled: false },
      policy: 'store',
    });
    expect((await appKey('GET', '/v1/users/u2/mfa')).body).toMatchObject({
      sms: { enabled: true, status: 'active' },
      nextStep: 'challenge',
      policy: 'application',
    });
  });
});

describe('application keys', () => {
  it('lists keys with their applicationId; two keys of one app work; deleting the app makes both 401', async () => {
    const storeId = await store({ enabled: true });
    const applicationId = await app(storeId);
    const [first, second, storeLevel] = [
      await key(storeId, applicationId),
      await key(storeId, applicationId),
      await key(storeId),
    ];
    const listed = await server.admin('GET', `/admin/identity-stores/${storeId}/api-keys`);
    expect(listed.body.items.map((k: { applicationId: string | null }) => k.applicationId).sort()).toEqual(
      [applicationId, applicationId, null].sort(),
    );
    for (const apiKey of [first, second])
      expect((await as(apiKey)('GET', '/v1/users/u/mfa')).status).toBe(200);

    expect((await server.admin('DELETE', `${apps(storeId)}/${applicationId}`)).status).toBe(204);
    for (const apiKey of [first, second])
      expectProblem(await as(apiKey)('GET', '/v1/users/u/mfa'), 401, 'unauthorized');
    expect((await as(storeLevel)('GET', '/v1/users/u/mfa')).status).toBe(200);
    const after = await server.admin('GET', `/admin/identity-stores/${storeId}/api-keys`);
    expect(after.body.items.map((k: { applicationId: string | null }) => k.applicationId)).toEqual([null]);
  });

  it('10 key creations racing the application delete leave no working key', async () => {
    const storeId = await store({ enabled: true });
    const applicationId = await app(storeId);
    const existing = await key(storeId, applicationId);
    const creations = Array.from({ length: 10 }, (_, i) =>
      server.admin('POST', `/admin/identity-stores/${storeId}/api-keys`, {
        name: `racer ${i}`,
        applicationId,
      }),
    );
    const [deleted, ...created] = await Promise.all([
      server.admin('DELETE', `${apps(storeId)}/${applicationId}`),
      ...creations,
    ]);
    expect(deleted?.status, deleted?.text).toBe(204);
    for (const answer of created) expect([201, 400]).toContain(answer.status);
    const keys = [existing, ...created.filter((a) => a.status === 201).map((a) => a.body.key as string)];
    for (const apiKey of keys) expectProblem(await as(apiKey)('GET', '/v1/users/u/mfa'), 401, 'unauthorized');
  });

  it('deleting the store deletes its applications', async () => {
    const storeId = await store();
    const applicationId = await app(storeId);
    expect((await server.admin('DELETE', `/admin/identity-stores/${storeId}`)).status).toBe(204);
    expectProblem(await server.admin('GET', `${apps(storeId)}/${applicationId}`), 404, 'not-found');
  });
});
