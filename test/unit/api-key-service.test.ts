import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../shared/domain/api-keys/api-key.ts';
import { ApiKeyService } from '../../shared/domain/api-keys/api-key-service.ts';
import type { Application } from '../../shared/domain/applications/application.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import type { ApiKeyRepository } from '../../shared/ports/api-key-repository.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';

function fakeKeys() {
  const records = new Map<string, ApiKeyRecord>();
  const touches: string[] = [];
  const repository: ApiKeyRepository = {
    create: async (key) => void records.set(key.id, { ...key }),
    get: async (id) => records.get(id),
    listByStore: async (storeId) => [...records.values()].filter((k) => k.storeId === storeId),
    delete: async (_storeId, id) => void records.delete(id),
    touch: async (id, at, staleBefore) => {
      const record = records.get(id);
      if (record && (!record.lastUsedAt || record.lastUsedAt < staleBefore)) {
        record.lastUsedAt = at;
        touches.push(at);
      }
    },
  };
  return { repository, records, touches };
}

describe('ApiKeyService.authenticate', () => {
  let now = new Date('2026-03-01T10:00:00.000Z');
  const clock = { now: () => now };
  const keys = fakeKeys();
  const deletedStores = new Set<string>();
  const applications = new Map<string, Application>();
  const service = new ApiKeyService({
    keys: keys.repository,
    stores: { get: async (id) => (deletedStores.has(id) ? undefined : ({ id } as IdentityStore)) },
    applications: { get: async (storeId, id) => applications.get(`${storeId}/${id}`) },
    clock,
    random: cryptoRandom,
  });

  it('stores only the hash and recognises the key', async () => {
    const created = await service.create('ids_1', 'app');
    expect(JSON.stringify([...keys.records.values()])).not.toContain(created.key.split('.')[1]);
    expect(await service.authenticate(`Bearer ${created.key}`)).toEqual({
      storeId: 'ids_1',
      keyId: created.id,
    });
    expect(await service.authenticate(`bearer ${created.key}`)).toEqual({
      storeId: 'ids_1',
      keyId: created.id,
    });
    const tampered = `${created.key.slice(0, -1)}${created.key.endsWith('A') ? 'B' : 'A'}`;
    expect(await service.authenticate(`Bearer ${tampered}`)).toBeUndefined();
    expect(await service.authenticate(undefined)).toBeUndefined();
  });

  it("carries an application's policy, and refuses its keys once the application is gone", async () => {
    const mfaPolicy = { enabled: true, enforcedRoles: ['admin'], identitySources: [] as string[] };
    applications.set('ids_2/app_1', { id: 'app_1', storeId: 'ids_2', mfaPolicy } as unknown as Application);
    const first = await service.create('ids_2', 'app', 'app_1');
    const second = await service.create('ids_2', 'rotated', 'app_1');
    for (const key of [first, second]) {
      expect(await service.authenticate(`Bearer ${key.key}`)).toEqual({
        storeId: 'ids_2',
        keyId: key.id,
        application: { id: 'app_1', mfaPolicy },
      });
    }
    applications.delete('ids_2/app_1');
    expect(await service.authenticate(`Bearer ${first.key}`)).toBeUndefined();
    expect(await service.authenticate(`Bearer ${second.key}`)).toBeUndefined();
  });

  it('refuses a key whose store is gone, before the sweep has removed the key', async () => {
    const created = await service.create('ids_gone', 'app');
    expect(await service.authenticate(`Bearer ${created.key}`)).toBeDefined();
    deletedStores.add('ids_gone');
    expect(keys.records.has(created.id)).toBe(true);
    expect(await service.authenticate(`Bearer ${created.key}`)).toBeUndefined();
  });

  it('writes lastUsedAt at most once per five minutes, not on every request', async () => {
    const created = await service.create('ids_2', 'app');
    keys.touches.length = 0;
    for (let i = 0; i < 20; i++) {
      await service.authenticate(`Bearer ${created.key}`);
      now = new Date(now.getTime() + 10_000);
    }
    // 20 requests over 200 s: the first writes, nothing else is stale yet.
    expect(keys.touches).toHaveLength(1);
    now = new Date(now.getTime() + 5 * 60_000);
    await service.authenticate(`Bearer ${created.key}`);
    expect(keys.touches).toHaveLength(2);
  });
});
