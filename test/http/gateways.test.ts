import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { EncryptedFileStore } from '../../shared/adapters/secrets/encrypted-file-store.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const twilio = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'twilio',
  accountId: 'AC0123456789abcdef0123456789abcdef',
  password: 'twilio-auth-token-SECRET-1',
  from: '+15005550006',
  ...extra,
});

async function outbox(): Promise<Array<{ at: string; gatewayId: string; to: string; body: string }>> {
  const text = await readFile(server.outboxFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('authentication', () => {
  it('refuses admin routes without the admin token', async () => {
    for (const [method, path] of [
      ['GET', '/admin/gateway-types'],
      ['GET', '/admin/gateways'],
      ['POST', '/admin/gateways'],
      ['GET', '/admin/gateways/gw_x'],
      ['PATCH', '/admin/gateways/gw_x'],
      ['DELETE', '/admin/gateways/gw_x'],
      ['POST', '/admin/gateways/gw_x/test'],
    ] as const) {
      expectProblem(await server.call(method, path), 401, 'unauthorized');
      expectProblem(
        await server.call(method, path, { headers: { authorization: 'Bearer wrong' } }),
        401,
        'unauthorized',
      );
    }
  });

  it('serves health without credentials, with security headers', async () => {
    const response = await server.call('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age');
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await server.call('GET', '/admin/nothing-here'), 404, 'not-found');
  });
});

describe('GET /admin/gateway-types', () => {
  it('lists every type with its provider URL and field needs', async () => {
    const response = await server.admin('GET', '/admin/gateway-types');
    expect(response.status).toBe(200);
    const byType = Object.fromEntries(response.body.items.map((t: { type: string }) => [t.type, t]));
    expect(Object.keys(byType).sort()).toEqual(
      [
        'aws-sns',
        'console',
        'custom-http',
        'infobip',
        'messagebird',
        'plivo',
        'sinch',
        'twilio',
        'vonage',
      ].sort(),
    );
    expect(byType.twilio.url).toContain('https://api.twilio.com/2010-04-01/Accounts/');
    expect(byType.twilio.fields).toEqual({
      accountId: 'required',
      username: 'optional',
      password: 'required',
      from: 'required',
      url: 'optional',
    });
    expect(byType['custom-http'].url).toBeNull();
    expect(byType['custom-http'].fields.url).toBe('required');
    expect(byType.vonage.url).toBe('https://rest.nexmo.com/sms/json');
    expect(byType.console.enabled).toBe(true);
  });
});

describe('fresh local store', () => {
  it('has a default console gateway', async () => {
    const response = await server.admin('GET', '/admin/gateways');
    const defaults = response.body.items.filter((g: { isDefault: boolean }) => g.isDefault);
    expect(defaults).toHaveLength(1);
    expect(defaults[0].type).toBe('console');
  });
});

describe('POST /admin/gateways', () => {
  it('creates a gateway and never returns its password', async () => {
    const response = await server.admin('POST', '/admin/gateways', {
      ...twilio('Twilio primary'),
      proxy: {
        host: 'proxy.corp.example',
        port: 3128,
        username: 'proxyuser',
        password: 'proxy-SECRET-2',
        description: 'egress',
      },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.text).not.toContain('SECRET');
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toMatchObject({
      name: 'Twilio primary',
      type: 'twilio',
      accountId: 'AC0123456789abcdef0123456789abcdef',
      from: '+15005550006',
      hasPassword: true,
      isDefault: false,
      url: null,
      username: null,
      proxy: {
        host: 'proxy.corp.example',
        port: 3128,
        username: 'proxyuser',
        description: 'egress',
        domain: null,
        hasPassword: true,
      },
      linkedIdentityStoreIds: [],
      version: 1,
    });
    expect(response.body.id).toMatch(/^gw_[0-9a-z]+$/);
    expect(Date.parse(response.body.createdAt)).not.toBeNaN();

    const fetched = await server.admin('GET', `/admin/gateways/${response.body.id}`);
    expect(fetched.body).toEqual(response.body);

    const secrets = await EncryptedFileStore.open(server.dataDir);
    expect(await secrets.get(`gateways/${response.body.id}`)).toEqual({
      password: 'twilio-auth-token-SECRET-1',
      proxyPassword: 'proxy-SECRET-2',
    });
  });

  it('reports every failing field at once', async () => {
    const response = await server.admin('POST', '/admin/gateways', {
      name: '',
      type: 'carrier-pigeon',
      proxy: { host: 'bad host!', port: 70000 },
      surprise: true,
    });
    expectProblem(response, 400, 'validation-failed');
    expect(errorPaths(response)).toEqual(['name', 'proxy.host', 'proxy.port', 'surprise', 'type']);
  });

  it("checks the type's required fields", async () => {
    const response = await server.admin('POST', '/admin/gateways', {
      name: 'Incomplete Twilio',
      type: 'twilio',
    });
    expectProblem(response, 400, 'validation-failed');
    expect(errorPaths(response)).toEqual(['accountId', 'from', 'password']);
    const custom = await server.admin('POST', '/admin/gateways', { name: 'No URL', type: 'custom-http' });
    expect(errorPaths(custom)).toEqual(['url']);
  });

  it('accepts https URLs and plain http only for loopback in local mode', async () => {
    const plain = await server.admin('POST', '/admin/gateways', {
      name: 'Plain http',
      type: 'custom-http',
      url: 'http://gateway.example.com/send',
    });
    expectProblem(plain, 400, 'validation-failed');
    expect(errorPaths(plain)).toEqual(['url']);
    const withUserInfo = await server.admin('POST', '/admin/gateways', {
      name: 'User info',
      type: 'custom-http',
      url: 'https://user:pw@gateway.example.com/send',
    });
    expect(errorPaths(withUserInfo)).toEqual(['url']);
    for (const [name, url] of [
      ['Loopback', 'http://127.0.0.1:9099/send'],
      ['Localhost', 'http://localhost:9099/send'],
      ['Https', 'https://gateway.example.com/send'],
    ]) {
      expect((await server.admin('POST', '/admin/gateways', { name, type: 'custom-http', url })).status).toBe(
        201,
      );
    }
  });

  it('refuses a duplicate name, case-insensitively', async () => {
    expect((await server.admin('POST', '/admin/gateways', twilio('Unique Name'))).status).toBe(201);
    expectProblem(await server.admin('POST', '/admin/gateways', twilio('unique name')), 409, 'conflict');
  });

  it('answers malformed JSON with 400 and a body over 16 KiB with 413', async () => {
    expectProblem(await server.admin('POST', '/admin/gateways', '{"name": '), 400, 'validation-failed');
    expectProblem(await server.admin('POST', '/admin/gateways', '[1,2]'), 400, 'validation-failed');
    const big = { ...twilio('Big'), from: 'x'.repeat(17 * 1024) };
    expectProblem(await server.admin('POST', '/admin/gateways', big), 413, 'payload-too-large');
  });
});

describe('GET /admin/gateways', () => {
  it('pages with limit and nextToken', async () => {
    for (const name of ['Page A', 'Page B', 'Page C'])
      await server.admin('POST', '/admin/gateways', twilio(name));
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const response = await server.admin(
        'GET',
        `/admin/gateways?limit=2${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(2);
      for (const item of response.body.items) seen.add(item.name);
      token = response.body.nextToken;
      pages++;
    } while (token && pages < 50);
    expect(seen).toContain('Page A');
    expect(seen).toContain('Page C');
    expect(pages).toBeGreaterThan(1);
  });

  it('refuses a bad limit or token', async () => {
    expectProblem(await server.admin('GET', '/admin/gateways?limit=0'), 400, 'validation-failed');
    expectProblem(await server.admin('GET', '/admin/gateways?limit=abc'), 400, 'validation-failed');
    const forged = Buffer.from(JSON.stringify({ pk: 'STORE', sk: 'x' })).toString('base64url');
    const response = await server.admin('GET', `/admin/gateways?nextToken=${forged}`);
    expectProblem(response, 400, 'validation-failed');
    expect(errorPaths(response)).toEqual(['nextToken']);
  });
});

describe('GET /admin/gateways/{id}', () => {
  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expectProblem(await server.admin('GET', '/admin/gateways/gw_doesnotexist'), 404, 'not-found');
    expectProblem(await server.admin('GET', '/admin/gateways/bad%20id!'), 400, 'validation-failed');
  });
});

describe('PATCH /admin/gateways/{id}', () => {
  it('merges fields, bumps the version and honours If-Match', async () => {
    const created = (await server.admin('POST', '/admin/gateways', twilio('Patch me'))).body;
    // A stale version and a value that is no version at all are both refused.
    for (const ifMatch of ['"7"', 'nope']) {
      const refused = await server.admin(
        'PATCH',
        `/admin/gateways/${created.id}`,
        { from: '+15005550007' },
        { 'if-match': ifMatch },
      );
      expectProblem(refused, 409, 'conflict');
    }

    const patched = await server.admin(
      'PATCH',
      `/admin/gateways/${created.id}`,
      { from: '+15005550007', name: 'Patched' },
      { 'if-match': '"1"' },
    );
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Patched',
      from: '+15005550007',
      accountId: created.accountId,
      hasPassword: true,
      version: 2,
    });
    expect(patched.headers.get('etag')).toBe('"2"');

    // The old name is free again, the new one is taken.
    expect((await server.admin('POST', '/admin/gateways', twilio('Patch me'))).status).toBe(201);
    expectProblem(
      await server.admin('PATCH', `/admin/gateways/${created.id}`, { name: 'PATCH ME' }),
      409,
      'conflict',
    );
  });

  it('clears a password with null and keeps the secret store in step', async () => {
    const created = (
      await server.admin('POST', '/admin/gateways', {
        name: 'Custom with secret',
        type: 'custom-http',
        url: 'https://gw.example.com/sms',
        username: 'api',
        password: 'custom-SECRET-3',
        proxy: { host: 'proxy.corp.example', port: 8080, username: 'p', password: 'proxy-SECRET-4' },
      })
    ).body;
    const secrets = await EncryptedFileStore.open(server.dataDir);
    const name = `gateways/${created.id}`;

    const proxyEdited = await server.admin('PATCH', `/admin/gateways/${created.id}`, {
      proxy: { description: 'dc1' },
    });
    expect(proxyEdited.body.proxy).toMatchObject({
      host: 'proxy.corp.example',
      port: 8080,
      description: 'dc1',
      hasPassword: true,
    });

    const cleared = await server.admin('PATCH', `/admin/gateways/${created.id}`, { password: null });
    expect(cleared.body.hasPassword).toBe(false);
    expect(await secrets.get(name)).toEqual({ proxyPassword: 'proxy-SECRET-4' });

    const noProxy = await server.admin('PATCH', `/admin/gateways/${created.id}`, { proxy: null });
    expect(noProxy.body.proxy).toBeNull();
    expect(await secrets.get(name)).toBeUndefined();

    const newPassword = await server.admin('PATCH', `/admin/gateways/${created.id}`, {
      password: 'custom-SECRET-5',
    });
    expect(newPassword.body.hasPassword).toBe(true);
    expect(await secrets.get(name)).toEqual({ password: 'custom-SECRET-5' });
  });

  it('validates the merged result against the type', async () => {
    const created = (await server.admin('POST', '/admin/gateways', twilio('Needs password'))).body;
    const response = await server.admin('PATCH', `/admin/gateways/${created.id}`, {
      password: null,
      name: null,
    });
    expectProblem(response, 400, 'validation-failed');
    expect(errorPaths(response)).toEqual(['name']);
    const typeProblem = await server.admin('PATCH', `/admin/gateways/${created.id}`, { password: null });
    expect(errorPaths(typeProblem)).toEqual(['password']);
    const proxyWithoutHost = await server.admin('PATCH', `/admin/gateways/${created.id}`, {
      proxy: { port: 3128 },
    });
    expect(errorPaths(proxyWithoutHost)).toEqual(['proxy.host']);
  });

  it('answers 404 for an unknown gateway', async () => {
    expectProblem(await server.admin('PATCH', '/admin/gateways/gw_missing', { from: 'x' }), 404, 'not-found');
  });

  it('moves the default: exactly one default, even under 20 parallel PATCHes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push((await server.admin('POST', '/admin/gateways', twilio(`Default race ${i}`))).body.id);
    const results = await Promise.all(
      ids.map((id) => server.admin('PATCH', `/admin/gateways/${id}`, { isDefault: true })),
    );
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));

    const all = await server.admin('GET', '/admin/gateways?limit=100');
    const defaults = all.body.items.filter((g: { isDefault: boolean }) => g.isDefault);
    expect(defaults).toHaveLength(1);
    expect(ids).toContain(defaults[0].id);

    const unset = await server.admin('PATCH', `/admin/gateways/${defaults[0].id}`, { isDefault: false });
    expect(unset.body.isDefault).toBe(false);
    const after = await server.admin('GET', '/admin/gateways?limit=100');
    expect(after.body.items.filter((g: { isDefault: boolean }) => g.isDefault)).toHaveLength(0);
    // Put a default back for the other tests' expectations.
    await server.admin('PATCH', `/admin/gateways/${ids[0]}`, { isDefault: true });
  });
});

describe('DELETE /admin/gateways/{id}', () => {
  it('deletes the gateway and its secret', async () => {
    const created = (await server.admin('POST', '/admin/gateways', twilio('Delete me'))).body;
    expectProblem(
      await server.admin('DELETE', `/admin/gateways/${created.id}`, undefined, { 'if-match': '"9"' }),
      409,
      'conflict',
    );
    const deleted = await server.admin('DELETE', `/admin/gateways/${created.id}`, undefined, {
      'if-match': '"1"',
    });
    expect(deleted.status).toBe(204);
    expectProblem(await server.admin('GET', `/admin/gateways/${created.id}`), 404, 'not-found');
    expectProblem(await server.admin('DELETE', `/admin/gateways/${created.id}`), 404, 'not-found');
    const secrets = await EncryptedFileStore.open(server.dataDir);
    expect(await secrets.get(`gateways/${created.id}`)).toBeUndefined();
    // The name can be used again.
    expect((await server.admin('POST', '/admin/gateways', twilio('Delete me'))).status).toBe(201);
  });

  it('refuses while an identity store links the gateway, naming the stores', async () => {
    const created = (await server.admin('POST', '/admin/gateways', twilio('Linked'))).body;
    // Identity stores arrive with their own routes; link at the table level exactly as they will.
    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    await documents.send(
      new UpdateCommand({
        TableName: server.tableName,
        Key: { pk: 'GATEWAY', sk: `GATEWAY#${created.id}` },
        UpdateExpression: 'ADD linkedStoreIds :ids',
        ExpressionAttributeValues: { ':ids': new Set(['ids_b', 'ids_a']) },
      }),
    );
    const refused = await server.admin('DELETE', `/admin/gateways/${created.id}`);
    expectProblem(refused, 409, 'gateway-in-use');
    expect(refused.body.identityStoreIds).toEqual(['ids_a', 'ids_b']);
    expect((await server.admin('GET', `/admin/gateways/${created.id}`)).body.linkedIdentityStoreIds).toEqual([
      'ids_a',
      'ids_b',
    ]);
  });

  it('clears the default when the default gateway is deleted', async () => {
    const created = (
      await server.admin('POST', '/admin/gateways', twilio('Default to delete', { isDefault: true }))
    ).body;
    expect(created.isDefault).toBe(true);
    expect((await server.admin('DELETE', `/admin/gateways/${created.id}`)).status).toBe(204);
    const all = await server.admin('GET', '/admin/gateways?limit=100');
    expect(all.body.items.filter((g: { isDefault: boolean }) => g.isDefault)).toHaveLength(0);
  });
});

describe('POST /admin/gateways/{id}/test', () => {
  it('sends a real test message through the console gateway', async () => {
    const gateway = (await server.admin('POST', '/admin/gateways', { name: 'Console test', type: 'console' }))
      .body;
    // api.md's example number is a UK personal number: an admin may test with it.
    expect(
      (await server.admin('POST', `/admin/gateways/${gateway.id}/test`, { phoneNumber: '447079692712' }))
        .status,
    ).toBe(200);
    for (const phoneNumber of ['+447400123456', '447400123456']) {
      const response = await server.admin('POST', `/admin/gateways/${gateway.id}/test`, { phoneNumber });
      expect(response.status, response.text).toBe(200);
      expect(response.body.status).toBe('sent');
      expect(response.body.providerMessageId).toMatch(/^console-/);
    }
    const sent = (await outbox()).filter((m) => m.gatewayId === gateway.id && m.to === '+447400123456');
    expect(sent).toHaveLength(2);
    expect(sent.every((m) => m.to === '+447400123456')).toBe(true);
    expect(sent[0]?.body).toContain('Console test');
  });

  it('refuses numbers that cannot receive SMS and malformed input', async () => {
    const gateway = (
      await server.admin('POST', '/admin/gateways', { name: 'Console refusals', type: 'console' })
    ).body;
    const path = `/admin/gateways/${gateway.id}/test`;
    expectProblem(
      await server.admin('POST', path, { phoneNumber: '+449090901234' }),
      422,
      'phone-not-allowed',
    );
    expectProblem(
      await server.admin('POST', path, { phoneNumber: '+447700900123' }),
      422,
      'phone-not-allowed',
    );
    expectProblem(
      await server.admin('POST', path, { phoneNumber: '+44 7400 123456' }),
      400,
      'validation-failed',
    );
    expectProblem(await server.admin('POST', path, {}), 400, 'validation-failed');
    expectProblem(
      await server.admin('POST', '/admin/gateways/gw_unknown/test', { phoneNumber: '+447400123456' }),
      404,
      'not-found',
    );
    expect((await outbox()).filter((m) => m.gatewayId === gateway.id)).toHaveLength(0);
  });
});
