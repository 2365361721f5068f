import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyTable } from '../../shared/adapters/dynamodb/api-key-table.ts';
import { ApplicationTable } from '../../shared/adapters/dynamodb/application-table.ts';
import { IdentityStoreTable } from '../../shared/adapters/dynamodb/identity-store-table.ts';
import { ApplicationService } from '../../shared/domain/applications/application-service.ts';
import type { Application } from '../../shared/domain/applications/application.ts';
import { NotFound, ValidationFailed, VersionMismatch } from '../../shared/domain/errors.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { storeFixture } from '../support/store-fixture.ts';

/** The adapters under test, over one fresh table (the application service takes them as they are). */
function adaptersOf({ documents, tableName }: TestTable) {
  return {
    applications: new ApplicationTable(documents, tableName),
    keys: new ApiKeyTable(documents, tableName),
    stores: new IdentityStoreTable(documents, tableName),
  };
}

let table: TestTable;
let db: ReturnType<typeof adaptersOf>;
beforeAll(async () => {
  table = await createTestTable();
  db = adaptersOf(table);
});
afterAll(() => table.drop());

let counter = 0;
async function newStore(): Promise<string> {
  counter++;
  const id = `ids_apps${counter}`;
  // No linked gateway: the store item alone, which the application writes are conditional on.
  await db.stores.create(storeFixture({ id, smsAuth: { enabled: false, gatewayId: null } }));
  return id;
}

function application(storeId: string, n: number, overrides: Partial<Application> = {}): Application {
  return {
    id: `app_${storeId}_${String(n).padStart(3, '0')}`,
    storeId,
    name: `App ${n}`,
    mfaPolicy: n % 2 === 0 ? null : { enabled: true, enforcedRoles: ['Admins'], identitySources: ['okta'] },
    createdAt: '2026-12-02T00:00:00.000Z',
    updatedAt: '2026-12-02T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

describe('ApplicationTable against DynamoDB Local', () => {
  it('creates and gets an application as written, policy included; only within an existing store', async () => {
    const storeId = await newStore();
    const app = application(storeId, 1);
    await db.applications.create(app);
    expect(await db.applications.get(storeId, app.id)).toEqual(app);
    const following = application(storeId, 2);
    await db.applications.create(following);
    expect((await db.applications.get(storeId, following.id))?.mfaPolicy).toBeNull();
    // Another store's id does not find it; a missing store refuses the create.
    expect(await db.applications.get('ids_other', app.id)).toBeUndefined();
    await expect(db.applications.create(application('ids_missing', 1))).rejects.toBeInstanceOf(NotFound);
  });

  it("lists a store's applications in pages, and only that store's", async () => {
    const storeId = await newStore();
    const other = await newStore();
    const created = [];
    for (let n = 1; n <= 5; n++) {
      const app = application(storeId, n);
      await db.applications.create(app);
      created.push(app.id);
    }
    await db.applications.create(application(other, 1));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await db.applications.list(storeId, { limit: 2, ...(nextToken ? { nextToken } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.sort()).toEqual(created.sort());
  });

  it('updates only from the version read: a stale version is a mismatch, a deleted one not found', async () => {
    const storeId = await newStore();
    const original = application(storeId, 1);
    await db.applications.create(original);
    const next = { ...original, name: 'Renamed', mfaPolicy: null, version: 2 };
    await db.applications.update(next, original);
    expect(await db.applications.get(storeId, original.id)).toEqual(next);
    await expect(
      db.applications.update({ ...original, name: 'Stale', version: 2 }, original),
    ).rejects.toBeInstanceOf(VersionMismatch);
    await expect(db.applications.delete(original)).rejects.toBeInstanceOf(VersionMismatch);
    await db.applications.delete(next);
    expect(await db.applications.get(storeId, original.id)).toBeUndefined();
    await expect(db.applications.update({ ...next, version: 3 }, next)).rejects.toBeInstanceOf(NotFound);
    await expect(db.applications.delete(next)).rejects.toBeInstanceOf(NotFound);
  });

  it("deleting an application revokes its keys (the service over the tables) and leaves the store's others", async () => {
    const storeId = await newStore();
    const service = new ApplicationService({
      ...db,
      clock: new ManualClock(Date.UTC(2026, 11, 2)),
      random: cryptoRandom,
    });
    const app = await service.create(storeId, { name: 'Front desk' });
    const key = (id: string, applicationId: string | null) => ({
      id,
      storeId,
      name: id,
      applicationId,
      hash: 'a'.repeat(64),
      createdAt: '2026-12-02T00:00:00.000Z',
      lastUsedAt: null,
    });
    const suffix = String(counter).padStart(2, '0');
    await db.keys.create(key(`ak_${'1'.repeat(24)}${suffix}`, app.id));
    await db.keys.create(key(`ak_${'2'.repeat(24)}${suffix}`, app.id));
    await db.keys.create(key(`ak_${'3'.repeat(24)}${suffix}`, null));
    expect((await db.keys.listByStore(storeId)).filter((k) => k.applicationId === app.id)).toHaveLength(2);

    await service.delete(storeId, app.id, app.version);
    expect(await db.applications.get(storeId, app.id)).toBeUndefined();
    const left = await db.keys.listByStore(storeId);
    expect(left.map((k) => k.applicationId)).toEqual([null]);
    // A key for the deleted application is refused at its write (same transaction as the check).
    const refused = await db.keys.create(key(`ak_${'4'.repeat(24)}${suffix}`, app.id)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ValidationFailed);
    expect((refused as ValidationFailed).extensions.errors).toEqual([
      { path: 'applicationId', message: expect.stringMatching(/not an application/) },
    ]);
  });
});
