import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { LOCAL_TABLE_NAME } from '../../local/local-stack.ts';
import { startChildServer } from '../support/child-server.ts';

const asText = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (v instanceof Set ? [...v] : v));

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (local/start.ts as its own process)', { timeout: 120_000 }, () => {
  it('serves, keeps data across restarts, leaks no password and stops DynamoDB Local on exit', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-start-'));
    const env = { DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'DEBUG' };
    const first = await startChildServer(env);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    expect(first.output()).toContain(`admin token: ${token}`);
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${first.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const passwords = [1, 2, 3, 4].map((i) => `pw${i}-${randomBytes(12).toString('hex')}`);
    const created = await admin('POST', '/admin/gateways', {
      name: 'Leak check',
      type: 'custom-http',
      url: 'https://gateway.example.com/send',
      username: 'api-user',
      password: passwords[0],
      proxy: { host: 'proxy.example.com', port: 3128, username: 'proxy-user', password: passwords[1] },
    });
    expect(created.status).toBe(201);
    const gateway = (await created.json()) as { id: string };
    expect((await admin('PATCH', `/admin/gateways/${gateway.id}`, { password: passwords[2] })).status).toBe(
      200,
    );
    expect(
      (await admin('PATCH', `/admin/gateways/${gateway.id}`, { proxy: { password: passwords[3] } })).status,
    ).toBe(200);
    // A refused request must not echo the password either.
    expect(
      (await admin('POST', '/admin/gateways', { name: 'Bad', type: 'nope', password: passwords[0] })).status,
    ).toBe(400);

    const consoleGateway = (
      (await (await admin('GET', '/admin/gateways')).json()) as { items: { id: string; type: string }[] }
    ).items.find((g) => g.type === 'console');
    expect(
      (await admin('POST', `/admin/gateways/${consoleGateway?.id}/test`, { phoneNumber: '447400123456' }))
        .status,
    ).toBe(200);
    const outbox = await readFile(join(dataDir, 'outbox.jsonl'), 'utf8');
    expect(JSON.parse(outbox.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      to: '+447400123456',
      gatewayId: consoleGateway?.id,
    });

    const documents = createDocumentClient({ endpoint: first.dynamoDbEndpoint });
    const scan = await documents.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
    const tableText = asText(scan.Items);
    expect(tableText).toContain('Leak check');
    const secretsFile = await readFile(join(dataDir, 'secrets.json'), 'utf8');
    for (const password of passwords) {
      expect(tableText).not.toContain(password);
      expect(first.output()).not.toContain(password);
      expect(secretsFile).not.toContain(password);
    }
    documents.destroy();

    expect(await first.stop('SIGTERM')).not.toBeNull();
    expect(await reachable(first.dynamoDbEndpoint)).toBe(false);

    const second = await startChildServer({ ...env, ADMIN_TOKEN: '' });
    try {
      const list = await fetch(`${second.url}/admin/gateways`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const items = ((await list.json()) as { items: { name: string; type: string }[] }).items;
      expect(items.map((g) => g.name)).toContain('Leak check');
      expect(items.filter((g) => g.type === 'console')).toHaveLength(1);
    } finally {
      await second.stop('SIGINT');
    }
    expect(await reachable(second.dynamoDbEndpoint)).toBe(false);
  });

  it('keeps $DATA_DIR 0700 and every file in it 0600, DynamoDB Local files and earlier leftovers included', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'sms-mfa-perms-')), 'data');
    // What an earlier, looser run left behind.
    await mkdir(join(dataDir, 'dynamodb'), { recursive: true, mode: 0o755 });
    await chmod(dataDir, 0o755);
    await writeFile(join(dataDir, 'outbox.jsonl'), '', { mode: 0o644 });
    await chmod(join(dataDir, 'outbox.jsonl'), 0o644);
    const server = await startChildServer({ DATA_DIR: dataDir });
    try {
      const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
      const admin = (method: string, path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const created = await admin('POST', '/admin/gateways', {
        name: 'Perms',
        type: 'custom-http',
        url: 'https://gateway.example.com/send',
        password: 'perm-secret',
      });
      expect(created.status).toBe(201);
      const gateways = (await (await admin('GET', '/admin/gateways')).json()) as {
        items: { id: string; type: string }[];
      };
      const consoleId = gateways.items.find((g) => g.type === 'console')?.id;
      expect(
        (await admin('POST', `/admin/gateways/${consoleId}/test`, { phoneNumber: '447400123456' })).status,
      ).toBe(200);
    } finally {
      await server.stop('SIGTERM');
    }

    const modes: Record<string, string> = {};
    const walk = async (dir: string): Promise<void> => {
      modes[dir.slice(dataDir.length) || '/'] = ((await stat(dir)).mode & 0o777).toString(8);
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else modes[path.slice(dataDir.length)] = ((await stat(path)).mode & 0o777).toString(8);
      }
    };
    await walk(dataDir);
    // The run wrote all of these; DynamoDB Local (the JVM) wrote its database file itself.
    expect(Object.keys(modes)).toEqual(
      expect.arrayContaining([
        '/',
        '/dynamodb',
        '/admin-token',
        '/outbox.jsonl',
        '/secrets.json',
        '/secret.key',
      ]),
    );
    expect(Object.keys(modes).some((path) => path.startsWith('/dynamodb/') && path.endsWith('.db'))).toBe(
      true,
    );
    for (const [path, mode] of Object.entries(modes)) {
      const isDir = path === '/' || path === '/dynamodb';
      expect(mode, path).toBe(isDir ? '700' : '600');
    }
  });
});
