import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

let server: TestServer;
let defaultGatewayId: string;
beforeAll(async () => {
  server = await startTestServer();
  const gateways = await server.admin('GET', '/admin/gateways');
  defaultGatewayId = gateways.body.items.find((g: { isDefault: boolean }) => g.isDefault).id;
});
afterAll(() => server.stop());

const newGateway = async (name: string) =>
  (await server.admin('POST', '/admin/gateways', { name, type: 'console' })).body.id as string;
const linksOf = async (gatewayId: string) =>
  (await server.admin('GET', `/admin/gateways/${gatewayId}`)).body.linkedIdentityStoreIds as string[];

describe('POST /admin/identity-stores', () => {
  it('fills every default and links the default gateway', async () => {
    const response = await server.admin('POST', '/admin/identity-stores', { name: 'Contoso' });
    expect(response.status, response.text).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toMatchObject({
      name: 'Contoso',
      smsAuth: {
        enabled: false,
        gatewayId: defaultGatewayId,
        fallbackGatewayIds: [],
        messageTemplate: 'Your verification code is [Code]',
        enforcedRoles: [],
        messageInfo: { encoding: 'GSM-7', segments: 1 },
      },
      codePolicy: { length: 6, ttlSeconds: 300, maxAttempts: 5, resendIntervalSeconds: 30 },
      sendLimits: { perPhonePer10Minutes: 5, perPhonePerDay: 10, perStorePerDay: 10000 },
      allowedCountries: [],
      version: 1,
    });
    expect(response.body.id).toMatch(/^ids_/);
    expect(await linksOf(defaultGatewayId)).toContain(response.body.id);
    expect((await server.admin('GET', `/admin/identity-stores/${response.body.id}`)).body).toEqual(
      response.body,
    );
  });

  it('links nothing when gatewayId is null, and the named gateways otherwise', async () => {
    const none = await server.admin('POST', '/admin/identity-stores', {
      name: 'No gateway',
      smsAuth: { gatewayId: null },
    });
    expect(none.body.smsAuth.gatewayId).toBeNull();
    const primary = await newGateway('Primary for store');
    const fallback = await newGateway('Fallback for store');
    const store = await server.admin('POST', '/admin/identity-stores', {
      name: 'Named gateways',
      smsAuth: {
        enabled: true,
        gatewayId: primary,
        fallbackGatewayIds: [fallback],
        enforcedRoles: ['Admins'],
      },
      allowedCountries: ['GB', 'US'],
    });
    expect(store.status, store.text).toBe(201);
    expect(await linksOf(primary)).toEqual([store.body.id]);
    expect(await linksOf(fallback)).toEqual([store.body.id]);
    expect(await linksOf(defaultGatewayId)).not.toContain(store.body.id);
  });

  it('reports every invalid setting', async () => {
    const response = await server.admin('POST', '/admin/identity-stores', {
      name: 'Bad',
      codePolicy: { length: 3, ttlSeconds: 59, maxAttempts: 11, resendIntervalSeconds: 601 },
      sendLimits: { perPhonePerDay: 0 },
      allowedCountries: ['XX', 'gb'],
      smsAuth: { enforcedRoles: [''] },
    });
    expectProblem(response, 400, 'validation-failed');
    expect(errorPaths(response)).toEqual([
      'allowedCountries.0',
      'allowedCountries.1',
      'codePolicy.length',
      'codePolicy.maxAttempts',
      'codePolicy.resendIntervalSeconds',
      'codePolicy.ttlSeconds',
      'sendLimits.perPhonePerDay',
      'smsAuth.enforcedRoles.0',
    ]);
  });

  it('requires the [Code] placeholder and a gateway when enabled', async () => {
    const noPlaceholder = await server.admin('POST', '/admin/identity-stores', {
      name: 'No placeholder',
      smsAuth: { messageTemplate: 'Your code is [code]' },
    });
    expectProblem(noPlaceholder, 400, 'validation-failed');
    expect(errorPaths(noPlaceholder)).toEqual(['smsAuth.messageTemplate']);
    const enabledWithout = await server.admin('POST', '/admin/identity-stores', {
      name: 'Enabled without gateway',
      smsAuth: { enabled: true, gatewayId: null },
    });
    expect(errorPaths(enabledWithout)).toEqual(['smsAuth.gatewayId']);
    const unknown = await server.admin('POST', '/admin/identity-stores', {
      name: 'Unknown gateway',
      smsAuth: { gatewayId: defaultGatewayId, fallbackGatewayIds: ['gw_missing'] },
    });
    expectProblem(unknown, 400, 'validation-failed');
    expect(errorPaths(unknown)).toEqual(['smsAuth.fallbackGatewayIds.0']);
    expect(await linksOf(defaultGatewayId)).not.toContain(unknown.body.id);
  });

  it('reports the encoding and segments of the rendered message', async () => {
    const ucs2 = await server.admin('POST', '/admin/identity-stores', {
      name: 'Unicode template',
      smsAuth: { messageTemplate: 'Ваш код: [Code]' },
    });
    expect(ucs2.body.smsAuth.messageInfo).toEqual({ encoding: 'UCS-2', segments: 1 });
    const long = await server.admin('POST', '/admin/identity-stores', {
      name: 'Long template',
      smsAuth: { messageTemplate: `${'x'.repeat(150)} [Code] {braces}` },
      codePolicy: { length: 8 },
    });
    // 150 + 1 + 8 + 1 + 8 septets, the braces counting double = 168 > 160.
    expect(long.body.smsAuth.messageInfo).toEqual({ encoding: 'GSM-7', segments: 2 });
  });
});

describe('PATCH /admin/identity-stores/{id}', () => {
  it('relinks gateways exactly and merges nested settings', async () => {
    const a = await newGateway('Relink A');
    const b = await newGateway('Relink B');
    const c = await newGateway('Relink C');
    const store = (
      await server.admin('POST', '/admin/identity-stores', { name: 'Relinking', smsAuth: { gatewayId: a } })
    ).body;

    const moved = await server.admin(
      'PATCH',
      `/admin/identity-stores/${store.id}`,
      { smsAuth: { gatewayId: b, fallbackGatewayIds: [c] }, codePolicy: { length: 8 } },
      { 'if-match': '"1"' },
    );
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.smsAuth).toMatchObject({ gatewayId: b, fallbackGatewayIds: [c], enabled: false });
    expect(moved.body.codePolicy).toEqual({
      length: 8,
      ttlSeconds: 300,
      maxAttempts: 5,
      resendIntervalSeconds: 30,
    });
    expect(await linksOf(a)).toEqual([]);
    expect(await linksOf(b)).toEqual([store.id]);
    expect(await linksOf(c)).toEqual([store.id]);

    const reset = await server.admin('PATCH', `/admin/identity-stores/${store.id}`, {
      codePolicy: { length: null },
      smsAuth: { fallbackGatewayIds: null },
    });
    expect(reset.body.codePolicy.length).toBe(6);
    expect(await linksOf(c)).toEqual([]);

    expectProblem(
      await server.admin('PATCH', `/admin/identity-stores/${store.id}`, { name: 'x' }, { 'if-match': '"1"' }),
      409,
      'conflict',
    );
    expectProblem(
      await server.admin('PATCH', '/admin/identity-stores/ids_missing', { name: 'x' }),
      404,
      'not-found',
    );
    expectProblem(
      await server.admin('PATCH', `/admin/identity-stores/${store.id}`, { bogus: 1 }),
      400,
      'validation-failed',
    );
  });

  it('keeps a gateway linked while any store links it, and lets it go after', async () => {
    const gateway = await newGateway('Guarded');
    const store = (
      await server.admin('POST', '/admin/identity-stores', {
        name: 'Guarding',
        smsAuth: { gatewayId: gateway },
      })
    ).body;
    const refused = await server.admin('DELETE', `/admin/gateways/${gateway}`);
    expectProblem(refused, 409, 'gateway-in-use');
    expect(refused.body.identityStoreIds).toEqual([store.id]);
    await server.admin('PATCH', `/admin/identity-stores/${store.id}`, { smsAuth: { gatewayId: null } });
    expect((await server.admin('DELETE', `/admin/gateways/${gateway}`)).status).toBe(204);
  });

  it('never deletes a linked gateway under 20 interleaved link/unlink PATCHes and DELETEs', async () => {
    for (let round = 0; round < 3; round++) {
      const gateway = await newGateway(`Race gateway ${round}`);
      const stores: string[] = [];
      for (let i = 0; i < 4; i++) {
        stores.push(
          (
            await server.admin('POST', '/admin/identity-stores', {
              name: `Race ${round}.${i}`,
              smsAuth: { gatewayId: null },
            })
          ).body.id,
        );
      }
      const operations = Array.from({ length: 20 }, (_, i) => {
        if (i % 5 === 4) return server.admin('DELETE', `/admin/gateways/${gateway}`);
        const storeId = stores[i % stores.length];
        const linkIt = i % 2 === 0;
        return server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
          smsAuth: { gatewayId: linkIt ? gateway : null },
        });
      });
      const results = await Promise.all(operations);
      for (const result of results) expect([200, 204, 400, 404, 409], result.text).toContain(result.status);

      const finalStores = await Promise.all(
        stores.map((id) => server.admin('GET', `/admin/identity-stores/${id}`)),
      );
      const linking = finalStores
        .filter((s) => s.body.smsAuth.gatewayId === gateway)
        .map((s) => s.body.id)
        .sort();
      const gatewayNow = await server.admin('GET', `/admin/gateways/${gateway}`);
      if (gatewayNow.status === 404) {
        expect(linking).toEqual([]);
      } else {
        expect(gatewayNow.body.linkedIdentityStoreIds).toEqual(linking);
      }
    }
  });
});

describe('DELETE /admin/identity-stores/{id}', () => {
  it('unlinks its gateways', async () => {
    const gateway = await newGateway('Unlinked on delete');
    const store = (
      await server.admin('POST', '/admin/identity-stores', {
        name: 'Short lived',
        smsAuth: { gatewayId: gateway },
      })
    ).body;
    expectProblem(
      await server.admin('DELETE', `/admin/identity-stores/${store.id}`, undefined, { 'if-match': '"5"' }),
      409,
      'conflict',
    );
    expect((await server.admin('DELETE', `/admin/identity-stores/${store.id}`)).status).toBe(204);
    expect(await linksOf(gateway)).toEqual([]);
    expectProblem(await server.admin('GET', `/admin/identity-stores/${store.id}`), 404, 'not-found');
    expectProblem(await server.admin('DELETE', `/admin/identity-stores/${store.id}`), 404, 'not-found');
  });
});

describe('GET /admin/identity-stores', () => {
  it('pages', async () => {
    const first = await server.admin('GET', '/admin/identity-stores?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(typeof first.body.nextToken).toBe('string');
    const second = await server.admin(
      'GET',
      `/admin/identity-stores?limit=1&nextToken=${encodeURIComponent(first.body.nextToken)}`,
    );
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });
});
