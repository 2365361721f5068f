import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedSecretStore } from '../../shared/adapters/secrets/cached-secret-store.ts';
import { EncryptedFileStore } from '../../shared/adapters/secrets/encrypted-file-store.ts';
import { FRESH_READ_INTERVAL_MS } from '../../shared/domain/fresh-reads.ts';
import type { SecretStore } from '../../shared/ports/secret-store.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { clientFor } from '../support/client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Refusals are cheap": hooks with a wrong secret force at most one fresh secret read per
 * integration per 60 seconds; the others are judged against the cached secret. Reads are counted at the
 * secret-store port, under the cache, where each one would cost a Secrets Manager call.
 */
let server: TestServer;
const clock = new ManualClock();
const reads: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const config = readConfig();
  const file = await EncryptedFileStore.open(config.dataDir);
  const counted: SecretStore = {
    put: (name, value) => file.put(name, value),
    delete: (name) => file.delete(name),
    get: (name) => {
      reads.push(name);
      return file.get(name);
    },
  };
  useLocalContext({ secrets: new CachedSecretStore(counted), clock }, config);
});
afterAll(async () => {
  useLocalContext();
  await server.stop();
});

async function oktaIntegration() {
  const { storeId } = await clientFor(server);
  const created = await server.admin('POST', `/admin/identity-stores/${storeId}/integrations`, {
    kind: 'okta',
    name: 'okta refusals',
  });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: string; secret: string };
}

const wrongHook = (id: string) =>
  server.call('POST', `/hooks/${id}`, {
    headers: { authorization: 'Bearer not-the-secret' },
    body: {
      eventId: 'evt-junk',
      data: { messageProfile: { phoneNumber: '+447400123456', otpCode: '1', deliveryChannel: 'SMS' } },
    },
  });

describe('hooks with a wrong secret', () => {
  it('cause at most 2 secret reads for 100 requests', async () => {
    const { id } = await oktaIntegration();
    const before = reads.filter((name) => name.includes(id)).length;
    for (let i = 0; i < 100; i++) expectProblem(await wrongHook(id), 401, 'unauthorized');
    expect(reads.filter((name) => name.includes(id)).length - before).toBeLessThanOrEqual(2);
  });

  it('may read the secret fresh again once the interval has passed', async () => {
    const { id } = await oktaIntegration();
    for (let i = 0; i < 10; i++) expectProblem(await wrongHook(id), 401, 'unauthorized');
    const before = reads.filter((name) => name.includes(id)).length;
    clock.advance(FRESH_READ_INTERVAL_MS);
    for (let i = 0; i < 10; i++) expectProblem(await wrongHook(id), 401, 'unauthorized');
    expect(reads.filter((name) => name.includes(id)).length - before).toBe(1);
  });
});
