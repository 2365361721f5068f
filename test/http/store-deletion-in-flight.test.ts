import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { EncryptedFileStore } from '../../shared/adapters/secrets/encrypted-file-store.ts';
import { integrationSecretName } from '../../shared/domain/integrations/integration.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
let provider: FakeProvider;
beforeAll(async () => {
  // The 2-second provider must not be cut off on a busy machine: the deadline still ends every send.
  process.env.PROVIDER_TIMEOUT_MS = '10000';
  server = await startTestServer();
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
  await server.stop();
});

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

const asText = (item: unknown) => JSON.stringify(item, (_key, v: unknown) => (v instanceof Set ? [...v] : v));
const isAudit = (item: Record<string, unknown>) =>
  String(item.pk).startsWith('AUDIT') || item.entity === 'audit';
/** api.md: no item whose key or any attribute holds the store's id, audit records excepted. */
const itemsOf = (items: Record<string, unknown>[], storeId: string) =>
  items.filter((item) => !isAudit(item) && asText(item).includes(storeId));

const PROVIDER_DELAY_MS = 2_000;
const SENDS = 20;

describe('a store deleted while its sends run (api.md "A deleted store leaves nothing")', () => {
  it('leaves no item of the store within 15 s of the last answer, and no integration secret', async () => {
    // Each message its own id, as a provider gives (the receipt pointers are keyed by it).
    provider.reply(
      ...Array.from({ length: SENDS * 3 }, (_, i) => ({
        status: 200,
        body: { id: `slow-message-${i}` },
        delayMs: PROVIDER_DELAY_MS,
      })),
    );
    const gateway = await server.admin('POST', '/admin/gateways', {
      name: `slow ${Math.random().toString(36).slice(2)}`,
      type: 'custom-http',
      url: `${provider.url}/send`,
    });
    expect(gateway.status, gateway.text).toBe(201);
    const client = await clientFor(server, { smsAuth: { gatewayId: gateway.body.id } });
    // Another store linked to the same gateway, which must lose nothing.
    const kept = await clientFor(server, { smsAuth: { gatewayId: gateway.body.id } });
    const keptSend = await kept.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(keptSend.status, keptSend.text).toBe(201);
    const keptItems = itemsOf(await scanTable(), kept.storeId).length;
    const integration = await server.admin('POST', `/admin/identity-stores/${client.storeId}/integrations`, {
      kind: 'okta',
      name: 'okta prod',
    });
    expect(integration.status, integration.text).toBe(201);
    const secrets = await EncryptedFileStore.open(server.dataDir);
    const secretName = integrationSecretName(integration.body.id as string);
    expect(await secrets.get(secretName)).toBeDefined();

    // Half sign-in verifications, half enrollments; every one under an idempotency key.
    const answered: number[] = [];
    const sends = Array.from({ length: SENDS }, async (_, i) => {
      const headers = { 'idempotency-key': `late-${i}` };
      const answer =
        i % 2 === 0
          ? await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }, headers)
          : await client.call(
              'PUT',
              `/v1/users/late-${i}/sms-factor`,
              { phoneNumber: mobileNumber() },
              headers,
            );
      answered.push(Date.now());
      return answer;
    });
    // Every send has claimed its key, and sends are at the provider, which holds each for 2 s.
    const claimsOf = async () =>
      itemsOf(await scanTable(), client.storeId).filter((item) => String(item.pk).startsWith('IDEMPOTENCY#'));
    let claims = await claimsOf();
    for (let waited = 0; claims.length < SENDS || provider.requests.length < 2; waited += 100) {
      if (waited > 10_000)
        throw new Error(`${claims.length} claims, ${provider.requests.length} at the provider`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      claims = await claimsOf();
    }
    for (const claim of claims) {
      expect(claim.storeId).toBe(client.storeId);
      expect(claim.ttl).toEqual(expect.any(Number));
    }

    const deleted = await server.admin('DELETE', `/admin/identity-stores/${client.storeId}`);
    expect(deleted.status, deleted.text).toBe(204);
    const answers = await Promise.all(sends);
    const lastAnswer = Math.max(...answered);
    // They really ran on past the delete: the provider saw them, and they answered only after it.
    expect(provider.requests.length).toBeGreaterThan(1);
    expect(answers.map((a) => a.status)).toHaveLength(SENDS);

    let left = itemsOf(await scanTable(), client.storeId);
    while (left.length > 0 && Date.now() - lastAnswer < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = itemsOf(await scanTable(), client.storeId);
    }
    expect(left.map((item) => `${String(item.pk)} ${String(item.sk)}`)).toEqual([]);
    expect(Date.now() - lastAnswer).toBeLessThan(15_000);
    expect(await secrets.get(secretName)).toBeUndefined();
    // The other store on the same gateway lost nothing.
    expect(itemsOf(await scanTable(), kept.storeId).length).toBe(keptItems);
  }, 60_000);
});
