import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main.ts';
import { signRequest } from '../../cli/sigv4.ts';
import { prepareRequest, resolveTarget, type Target } from '../../cli/transport.ts';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { independentAuthorization, type Captured } from '../support/sigv4-check.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { spawnGroup } from '../support/process-group.ts';

const exec = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the CLI prints arbitrary JSON
}

/** `tsx cli/admin.ts ...` (as `npm run admin` runs it, minus tsx's extra process) against the test server. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawnGroup(process.execPath, ['--import', 'tsx', 'cli/admin.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      SMS_MFA_URL: server.url,
      SMS_MFA_ADMIN_TOKEN: server.adminToken,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout || stderr);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
  return { child, stdout: () => stdout, done };
}

const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  startCli(args, env).done;

function expectProblemOnStderr(result: CliResult, status: number, slug: string): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.json.status).toBe(status);
  expect(result.json.type).toMatch(new RegExp(`/${slug}$`));
}

describe('admin CLI against the local server', () => {
  it('drives a full admin setup: gateway, store, API key, test message, and teardown', async () => {
    // The token can also come from $DATA_DIR/admin-token, as after `npm start`.
    const dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-cli-'));
    await writeFile(join(dataDir, 'admin-token'), `${server.adminToken}\n`);
    // Independent steps run side by side: each CLI start costs about a second.
    const [types, created] = await Promise.all([
      cli(['gateway-types'], { SMS_MFA_ADMIN_TOKEN: '', DATA_DIR: dataDir }),
      cli(['gateways', 'create', '--name', 'CLI Console', '--type', 'console', '--default']),
    ]);
    expect(types.code, types.stderr).toBe(0);
    expect(types.json.items.map((t: { type: string }) => t.type)).toEqual(
      expect.arrayContaining(['console', 'twilio', 'aws-sns', 'custom-http']),
    );

    expect(created.code, created.stderr).toBe(0);
    const gateway = created.json;
    expect(gateway).toMatchObject({
      name: 'CLI Console',
      type: 'console',
      isDefault: true,
      hasPassword: false,
      effectiveUrl: null,
    });
    const gateways = (await server.admin('GET', '/admin/gateways')).body.items as Array<{
      id: string;
      isDefault: boolean;
    }>;
    expect(gateways.filter((g) => g.isDefault).map((g) => g.id)).toEqual([gateway.id]);

    const [duplicate, store] = await Promise.all([
      cli(['gateways', 'create', '--name', 'cli console', '--type', 'console']),
      cli(['stores', 'create', '--name', 'CLI Store', '--json', '{"smsAuth":{"enabled":true}}']),
    ]);
    // Names are unique case-insensitively: a problem answer goes to stderr with exit code 1.
    expectProblemOnStderr(duplicate, 409, 'conflict');
    // No gatewayId: the default gateway just created is linked.
    expect(store.code, store.stderr).toBe(0);
    expect(store.json.smsAuth).toMatchObject({ enabled: true, gatewayId: gateway.id });
    const storeId = store.json.id as string;

    const patch = { codePolicy: { length: 8 }, smsAuth: { messageTemplate: 'CLI code [Code]' } };
    const updated = await cli([
      'stores',
      'update',
      storeId,
      '--json',
      JSON.stringify(patch),
      '--if-match',
      String(store.json.version),
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json.codePolicy).toMatchObject({ length: 8, ttlSeconds: 300 }); // merged, not replaced
    expect(updated.json.smsAuth).toMatchObject({ enabled: true, messageTemplate: 'CLI code [Code]' });
    expect((await server.admin('GET', `/admin/identity-stores/${storeId}`)).body).toEqual(updated.json);

    const key = await cli(['keys', 'create', storeId, '--name', 'CLI app']);
    expect(key.code, key.stderr).toBe(0);
    expect(key.json).toMatchObject({ name: 'CLI app', key: expect.any(String), id: expect.any(String) });
    const [keys, test] = await Promise.all([
      cli(['keys', 'list', storeId]),
      cli(['gateways', 'test', gateway.id, '--phone', '447400123456']),
    ]);
    expect(keys.code, keys.stderr).toBe(0);
    expect(keys.json.items).toEqual([expect.objectContaining({ id: key.json.id, name: 'CLI app' })]);
    expect(keys.stdout).not.toContain(key.json.key);
    const asClient = { headers: { authorization: `Bearer ${key.json.key}` } };
    expect((await server.call('GET', '/v1/users/cli-user/mfa', asClient)).status).toBe(200);

    expect(test.code, test.stderr).toBe(0);
    expect(test.json).toEqual({ status: 'sent', providerMessageId: expect.any(String) });
    expect((await outbox(server)).filter((m) => m.gatewayId === gateway.id)).toEqual([
      expect.objectContaining({ to: '+447400123456' }),
    ]);

    const [revoked, inUse] = await Promise.all([
      cli(['keys', 'revoke', storeId, key.json.id]),
      cli(['gateways', 'delete', gateway.id]),
    ]);
    expect(revoked).toMatchObject({ code: 0, stdout: '' });
    expect((await server.admin('GET', `/admin/identity-stores/${storeId}/api-keys`)).body.items).toEqual([]);
    expect((await server.call('GET', '/v1/users/cli-user/mfa', asClient)).status).toBe(401);

    expectProblemOnStderr(inUse, 409, 'gateway-in-use');
    expect(inUse.json.identityStoreIds).toEqual([storeId]);

    const hook = await cli([
      'webhooks',
      'create',
      storeId,
      '--webhook-url',
      'https://hooks.example.com/sms',
      '--event-types',
      'challenge.approved, factor.locked',
    ]);
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.json).toMatchObject({
      url: 'https://hooks.example.com/sms',
      eventTypes: ['challenge.approved', 'factor.locked'],
      secret: expect.stringMatching(/^whsec_/),
    });
    const hooks = await cli(['webhooks', 'list', storeId]);
    expect(hooks.json.items.map((w: { id: string }) => w.id)).toEqual([hook.json.id]);
    expect(hooks.stdout).not.toContain('whsec_');
    const rotated = await cli(['webhooks', 'rotate-secret', storeId, hook.json.id]);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(await cli(['webhooks', 'delete', storeId, hook.json.id])).toMatchObject({ code: 0, stdout: '' });
    expect((await server.admin('GET', `/admin/identity-stores/${storeId}/webhooks`)).body.items).toEqual([]);

    expect(await cli(['stores', 'delete', storeId])).toMatchObject({ code: 0, stdout: '' });
    expect(await cli(['gateways', 'delete', gateway.id])).toMatchObject({ code: 0, stdout: '' });
    expect((await server.admin('GET', `/admin/identity-stores/${storeId}`)).status).toBe(404);
    expect((await server.admin('GET', `/admin/gateways/${gateway.id}`)).status).toBe(404);
  }, 60_000);

  it('events tail follows events.jsonl as it grows, only the asked types, until Ctrl-C', async () => {
    const tail = startCli(
      [
        'events',
        'tail',
        '--from-start',
        '--type',
        'admin.identity-store.created,admin.identity-store.deleted',
      ],
      { DATA_DIR: server.dataDir },
    );
    const names = ['tail-a', 'tail-b'];
    const ids: string[] = [];
    for (const name of names) {
      const created = await server.admin('POST', '/admin/identity-stores', { name });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
      await expect.poll(() => tail.stdout(), { timeout: 15_000 }).toContain(created.body.id);
    }
    expect((await server.admin('DELETE', `/admin/identity-stores/${ids[0]}`)).status).toBe(204);
    const deleted = (line: string) =>
      line.includes('"admin.identity-store.deleted"') && line.includes(ids[0]!);
    await expect.poll(() => tail.stdout().split('\n').some(deleted), { timeout: 15_000 }).toBe(true);
    tail.child.kill('SIGINT');
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const types = new Set(lines.map((line) => line.type));
    expect([...types].sort()).toEqual(['admin.identity-store.created', 'admin.identity-store.deleted']);
    expect(lines.filter((line) => ids.includes(line.data.storeId)).map((line) => line.type)).toEqual([
      'admin.identity-store.created',
      'admin.identity-store.created',
      'admin.identity-store.deleted',
    ]);
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
  }, 60_000);

  it('blocks list shows a prefix block and blocks lift lifts it, so the range sends again', async () => {
    const client = await clientFor(server, {
      fraudGuard: { prefixDigits: 8, maxUnverifiedPerPrefixPerHour: 1 },
    });
    const range = `+4479${String(process.pid % 1000).padStart(3, '0')}9`;
    const send = (i: number) => client.call('POST', '/v1/verifications', { phoneNumber: `${range}000${i}` });
    const first = await send(1);
    expect(first.status, first.text).toBe(201);
    expect((await send(2)).body.reason).toBe('prefix-velocity');
    const listed = await cli(['blocks', 'list', client.storeId]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json.items).toEqual([
      { kind: 'prefix', value: range.slice(1), unverified: 1, until: expect.any(String) },
    ]);
    expect(await cli(['blocks', 'lift', client.storeId, 'prefix', range.slice(1)])).toMatchObject({
      code: 0,
      stdout: '',
    });
    expect((await send(3)).status).toBe(201);
    expect((await cli(['blocks', 'list', client.storeId])).json.items).toEqual([]);
    expectProblemOnStderr(
      await cli(['blocks', 'lift', client.storeId, 'prefix', range.slice(1)]),
      404,
      'not-found',
    );
    expectProblemOnStderr(
      await cli(['blocks', 'lift', client.storeId, 'planet', 'mars']),
      400,
      'validation-failed',
    );
  }, 30_000);

  it('sends gateway and proxy passwords without ever printing them', async () => {
    const secrets = { CLI_GW_SECRET: 'twilio-SECRET-from-env', CLI_PROXY_SECRET: 'proxy-SECRET-from-env' };
    // prettier-ignore
    const created = await cli([
      'gateways', 'create', '--name', 'CLI Twilio', '--type', 'twilio',
      '--account-id', 'AC0123456789abcdef0123456789abcdef', '--from', '+15005550006',
      '--password-env', 'CLI_GW_SECRET', '--proxy-host', 'proxy.example.com', '--proxy-port', '3128',
      '--proxy-username', 'squid', '--proxy-password-env', 'CLI_PROXY_SECRET',
    ], secrets);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({
      hasPassword: true,
      effectiveUrl:
        'https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json',
      proxy: { host: 'proxy.example.com', port: 3128, username: 'squid', hasPassword: true },
    });

    // The proxy flags are a merge patch of `proxy`: only the port changes (and, as a moved proxy must,
    // its password is given again).
    // prettier-ignore
    const args = [
      'gateways', 'update', created.json.id, '--proxy-port', '8080', '--proxy-password-env', 'CLI_PROXY_SECRET',
      '--if-match',
    ];
    const refused = await cli(['gateways', 'update', created.json.id, '--proxy-port', '8080']);
    expectProblemOnStderr(refused, 400, 'validation-failed');
    expect(refused.stderr).toContain('proxy.password');
    const updated = await cli([...args, String(created.json.version)], secrets);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json.proxy).toMatchObject({ host: 'proxy.example.com', port: 8080, hasPassword: true });
    const stale = await cli([...args, String(created.json.version)], secrets);
    expectProblemOnStderr(stale, 409, 'conflict');

    for (const output of [created, refused, updated, stale]) {
      for (const secret of Object.values(secrets))
        expect(output.stdout + output.stderr).not.toContain(secret);
    }
    expect((await server.admin('GET', `/admin/gateways/${created.json.id}`)).body).toEqual(updated.json);
  }, 30_000);

  it('sets test numbers and trusted numbers on stores create and update; the codes are never printed', async () => {
    const created = await cli([
      'stores',
      'create',
      '--name',
      `CLI numbers ${Math.random()}`,
      '--test-numbers',
      '+447700900321=864213, +12025550142=112233',
      '--trusted-numbers',
      '447400123456',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.testNumbers).toEqual([
      { phoneNumber: '+447700900321', codeLength: 6 },
      { phoneNumber: '+12025550142', codeLength: 6 },
    ]);
    expect(created.json.trustedNumbers).toEqual(['+447400123456']);
    expect(created.stdout).not.toContain('864213');
    const updated = await cli([
      'stores',
      'update',
      created.json.id,
      '--test-numbers',
      '+447700900321=12345678',
      '--json',
      '{"codePolicy":{"length":8}}',
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json.testNumbers).toEqual([{ phoneNumber: '+447700900321', codeLength: 8 }]);
    expect(updated.json.trustedNumbers).toEqual(['+447400123456']);
    const malformed = await cli(['stores', 'update', created.json.id, '--test-numbers', '+447700900321']);
    expect(malformed.code).toBe(2);
  }, 30_000);

  it('exits 2 on usage errors without calling the server', async () => {
    const before = (await server.admin('GET', '/admin/gateways')).body.items.length;
    const missing = await cli(['gateways', 'create', '--type', 'console']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('--name is required');
    expect((await server.admin('GET', '/admin/gateways')).body.items.length).toBe(before);

    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
    const env = { SMS_MFA_URL: server.url, SMS_MFA_ADMIN_TOKEN: server.adminToken };
    for (const argv of [
      [],
      ['gateways'],
      ['gateways', 'rename', 'gw_1'],
      ['keys', 'revoke', 'only-store-id'],
      ['stores', 'list', '--phone', '447400123456'],
      ['stores', 'update', 'store_1'],
      ['gateways', 'create', '--name', 'x', '--type', 'twilio', '--password', 'a', '--password-env', 'B'],
      ['gateways', 'create', '--name', 'x', '--type', 'twilio', '--proxy-port', 'eighty'],
      ['stores', 'create', '--name', 'x', '--json', '{not json'],
      ['gateways', 'list', '--unknown-flag'],
    ]) {
      expect(await run(argv, env, io), argv.join(' ')).toBe(2);
    }
    expect(lines.join('')).not.toContain('"a"');

    lines.length = 0;
    expect(await run(['gateways', 'create', '--help'], env, io)).toBe(0);
    expect(lines.join('')).toContain('--proxy-password-env');
    expect(await run(['--help'], env, io)).toBe(0);
    expect(lines.join('')).toContain('keys revoke <storeId> <keyId>');
    expect(await run(['help', 'keys', 'create'], env, io)).toBe(0);
    expect(lines.join('')).toContain('Usage: npm run admin -- keys create <storeId> [options]');
  }, 30_000);

  it('runs as the package bin: --version prints exactly the version; list commands print tables', async () => {
    const { version } = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    const bin = await exec('npx', ['--no-install', 'sms-mfa', '--version'], { cwd: PROJECT_ROOT });
    expect(bin.stdout).toBe(`${version}\n`);

    const name = `Table ${Math.random().toString(36).slice(2)}`;
    const created = await cli(['gateways', 'create', '--name', name, '--type', 'console']);
    expect(created.code, created.stderr).toBe(0);
    const [table, json, wrong] = await Promise.all([
      cli(['gateways', 'list', '--limit', '100', '--output', 'table']),
      cli(['gateways', 'list', '--limit', '100']),
      cli(['gateways', 'list', '--output', 'yaml']),
    ]);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    const columns = header!.split(/\s{2,}/);
    expect(columns).toEqual(expect.arrayContaining(['id', 'name', 'type']));
    const row = rows.find((line) => line.includes(created.json.id))!;
    // Each cell starts where its column's header does.
    for (const [column, value] of [
      ['id', created.json.id],
      ['name', name],
      ['type', 'console'],
    ]) {
      expect(row.indexOf(value), column).toBe(header!.indexOf(column!));
    }
    expect(rows).toHaveLength(json.json.items.length);
    expect(json.json.items.map((g: { id: string }) => g.id)).toContain(created.json.id);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--output must be json or table');
  }, 30_000);

  it('challenges get shows a challenge with its sends; another store is not-found', async () => {
    const client = await clientFor(server);
    const issued = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(issued.status, issued.text).toBe(201);
    const shown = await cli(['challenges', 'get', client.storeId, issued.body.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json).toMatchObject({ id: issued.body.id, status: 'pending', purpose: 'verify-phone' });
    expect(shown.json.sends).toEqual([expect.objectContaining({ gatewayId: client.gatewayId })]);
    const other = await clientFor(server);
    expectProblemOnStderr(await cli(['challenges', 'get', other.storeId, issued.body.id]), 404, 'not-found');
  });
});

// --- SigV4 -----------------------------------------------------------------------------------------

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('SigV4 transport', () => {
  it("matches AWS's published SigV4 test-suite signatures", async () => {
    // docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html: get-vanilla and
    // get-vanilla-query-order-key-case, service "service", 2015-08-30T12:36:00Z.
    const sign = (url: string) =>
      signRequest(
        { method: 'GET', url: new URL(url), headers: {} },
        {
          region: 'us-east-1',
          service: 'service',
          credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
          date: new Date('2015-08-30T12:36:00Z'),
        },
      );
    const scope = `Credential=${AKID}/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date`;
    expect((await sign('https://example.amazonaws.com/')).authorization).toBe(
      `AWS4-HMAC-SHA256 ${scope}, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    );
    expect((await sign('https://example.amazonaws.com/?Param2=value2&Param1=value1')).authorization).toBe(
      `AWS4-HMAC-SHA256 ${scope}, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
    );
  });

  it('signs for non-loopback https URLs (region from the execute-api host) and uses the token on loopback', async () => {
    const deployed = await resolveTarget(
      { url: 'https://a1b2c3.execute-api.eu-west-2.amazonaws.com/prod' },
      {},
    );
    expect(deployed.auth).toMatchObject({ kind: 'sigv4', region: 'eu-west-2' });
    const custom = await resolveTarget({ url: 'https://mfa.example.com' }, { AWS_REGION: 'ap-south-1' });
    expect(custom.auth).toMatchObject({ kind: 'sigv4', region: 'ap-south-1' });
    const forced = await resolveTarget(
      { url: 'http://127.0.0.1:3000', sigv4: true, region: 'us-west-2' },
      {},
    );
    expect(forced.auth).toMatchObject({ kind: 'sigv4', region: 'us-west-2' });
    for (const url of ['http://127.0.0.1:3000', 'https://localhost:3000', 'http://[::1]:3000']) {
      expect((await resolveTarget({ url, token: 't' }, {})).auth).toEqual({ kind: 'bearer', token: 't' });
    }
    // The admin token is for the local server only; signing needs a region. Both are usage errors.
    await expect(
      resolveTarget({ url: 'https://a1b2c3.execute-api.eu-west-2.amazonaws.com', token: 't' }, {}),
    ).rejects.toThrow('--token is for the local server');
    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
    expect(await run(['gateway-types', '--url', 'https://mfa.example.com'], {}, io)).toBe(2);
    expect(lines.join('')).toContain('--region');
  });

  it('signs a request with fixed credentials and date exactly as an independent SigV4 computes it', async () => {
    const target: Target = {
      baseUrl: new URL('https://a1b2c3.execute-api.eu-west-2.amazonaws.com/prod/'),
      auth: {
        kind: 'sigv4',
        region: 'eu-west-2',
        credentials: async () => ({
          accessKeyId: AKID,
          secretAccessKey: SECRET,
          sessionToken: 'session-tok',
        }),
      },
    };
    const prepared = await prepareRequest(
      target,
      { method: 'GET', path: '/admin/gateways', query: { nextToken: 'a+b/c=*', limit: '5' } },
      new Date('2026-01-02T03:04:05Z'),
    );
    expect(prepared.url.href).toBe(
      'https://a1b2c3.execute-api.eu-west-2.amazonaws.com/prod/admin/gateways?nextToken=a%2Bb%2Fc%3D%2A&limit=5',
    );
    const headers = prepared.headers;
    expect(headers).toMatchObject({
      host: 'a1b2c3.execute-api.eu-west-2.amazonaws.com',
      'x-amz-date': '20260102T030405Z',
      'x-amz-security-token': 'session-tok',
    });
    const sent = { method: 'GET', url: `${prepared.url.pathname}${prepared.url.search}`, headers, body: '' };
    expect(headers.authorization).toBe(independentAuthorization(sent, SECRET, 'eu-west-2'));
    expect(headers.authorization).toContain(
      `Credential=${AKID}/20260102/eu-west-2/execute-api/aws4_request, SignedHeaders=accept;host;x-amz-date;x-amz-security-token,`,
    );
  });

  it('sends exactly what it signed, with credentials from the default AWS chain', async () => {
    const received: Captured[] = [];
    const capture = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/prod`;
      const aws = { AWS_ACCESS_KEY_ID: AKID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: 'tok' };
      const env = { ...aws, AWS_PROFILE: '', SMS_MFA_ADMIN_TOKEN: '' };
      const base = ['--sigv4', '--region', 'eu-west-1', '--url', url];
      const patched = await cli(
        [...base, 'gateways', 'update', 'gw_1', '--name', 'Zoë *', '--if-match', '3'],
        env,
      );
      expect(patched.code, patched.stderr).toBe(0);
      expect(patched.json).toEqual({ ok: true });
      const listed = await cli([...base, 'stores', 'list', '--limit', '2', '--next-token', "x y+'z"], env);
      expect(listed.code, listed.stderr).toBe(0);
    } finally {
      capture.close();
    }
    const [patch, list] = received;
    expect(patch).toMatchObject({
      method: 'PATCH',
      url: '/prod/admin/gateways/gw_1',
      body: '{"name":"Zoë *"}',
    });
    expect(patch!.headers['if-match']).toBe('3');
    expect(list).toMatchObject({
      method: 'GET',
      url: '/prod/admin/identity-stores?limit=2&nextToken=x%20y%2B%27z',
    });
    for (const request of [patch!, list!]) {
      expect(request.headers['x-amz-security-token']).toBe('tok');
      expect(request.headers.authorization).toBe(independentAuthorization(request, SECRET, 'eu-west-1'));
    }
    expect(patch!.headers.authorization).toContain(
      'SignedHeaders=accept;content-length;content-type;host;if-match;x-amz-date;x-amz-security-token,',
    );
  }, 30_000);
});
