import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function scanTable(): Promise<Record<string, unknown>[]> {
  const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: server.tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  documents.destroy();
  return items;
}

const isAudit = (item: Record<string, unknown>) => String(item.pk).startsWith('AUDIT#');
/** Items that mention the store anywhere: its own attributes, keys or values (audit records excepted, api.md). */
const itemsOf = (items: Record<string, unknown>[], storeId: string) =>
  items.filter((item) => !isAudit(item) && JSON.stringify(item).includes(storeId));

/** A store with a key, a factor with its enrollment challenge, a phone pointer, counters and an idempotency record. */
async function populatedStore(name: string) {
  const store = await server.admin('POST', '/admin/identity-stores', { name, smsAuth: { enabled: true } });
  expect(store.status, store.text).toBe(201);
  const key = await server.admin('POST', `/admin/identity-stores/${store.body.id}/api-keys`, { name: 'app' });
  expect(key.status, key.text).toBe(201);
  const client = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    server.call(method, path, { body, headers: { authorization: `Bearer ${key.body.key}`, ...headers } });
  const enrolled = await client(
    'PUT',
    '/v1/users/alice/sms-factor',
    { phoneNumber: '+447400123456' },
    { 'idempotency-key': `enroll-${name}` },
  );
  expect(enrolled.status, enrolled.text).toBe(202);
  const verification = await client('POST', '/v1/verifications', { phoneNumber: '+447400123457' });
  expect(verification.status, verification.text).toBe(201);
  return { storeId: store.body.id as string, key: key.body.key as string, client };
}

const mfaStatus = (key: string) =>
  server.call('GET', '/v1/users/alice/mfa', { headers: { authorization: `Bearer ${key}` } });

describe('DELETE /admin/identity-stores/{id}', () => {
  it('races 10 key creations: no key of the deleted store works, and no item of it is left', async () => {
    const kept = await populatedStore('Kept store');
    const doomed = await populatedStore('Doomed store');
    const snapshot = await scanTable();
    const before = itemsOf(snapshot, doomed.storeId);
    const keptBefore = itemsOf(snapshot, kept.storeId).length;
    // Every kind of store-owned item is there, each tagged for the byStore index.
    const kinds = new Set(before.map((item) => String(item.pk).split('#')[0]));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['APIKEY', 'CHALLENGE', 'COUNT', 'FACTOR', 'IDEMPOTENCY', 'PHONEPTR', 'STORE']),
    );
    for (const item of before.filter((i) => i.pk !== 'STORE'))
      expect(item.ownerShard, String(item.pk)).toBeTruthy();

    const creations = Array.from({ length: 10 }, (_, i) =>
      server.admin('POST', `/admin/identity-stores/${doomed.storeId}/api-keys`, { name: `racer ${i}` }),
    );
    const [deleted, ...created] = await Promise.all([
      server.admin('DELETE', `/admin/identity-stores/${doomed.storeId}`),
      ...creations,
    ]);
    expect(deleted?.status, deleted?.text).toBe(204);
    for (const answer of created) expect([201, 404]).toContain(answer.status);

    const keys = [doomed.key, ...created.filter((a) => a.status === 201).map((a) => a.body.key as string)];
    for (const key of keys) expectProblem(await mfaStatus(key), 401, 'unauthorized');
    expectProblem(await server.admin('GET', `/admin/identity-stores/${doomed.storeId}`), 404, 'not-found');
    expectProblem(
      await server.admin('GET', `/admin/identity-stores/${doomed.storeId}/api-keys`),
      404,
      'not-found',
    );
    expectProblem(
      await server.admin('POST', `/admin/identity-stores/${doomed.storeId}/api-keys`, { name: 'late' }),
      404,
      'not-found',
    );

    const after = await scanTable();
    expect(itemsOf(after, doomed.storeId)).toEqual([]);
    // The sweep leaves the store's audit trail, its deletion included; no record holds a key.
    const trail = after.filter((item) => item.pk === `AUDIT#${doomed.storeId}`);
    expect(trail.map((item) => item.type)).toEqual(
      expect.arrayContaining([
        'admin.identity-store.created',
        'admin.api-key.created',
        'admin.identity-store.deleted',
      ]),
    );
    for (const key of keys) expect(JSON.stringify(trail)).not.toContain(key);
    // The other store lost nothing and still works.
    expect(itemsOf(after, kept.storeId).length).toBe(keptBefore);
    expect((await mfaStatus(kept.key)).status).toBe(200);
  }, 60_000);
});
