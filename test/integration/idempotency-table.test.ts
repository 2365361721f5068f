import { afterAll, describe, expect, it } from 'vitest';
import { IdempotencyTable } from '../../shared/adapters/dynamodb/idempotency-table.ts';
import { ownerShardOf } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { Conflict } from '../../shared/domain/errors.ts';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_WINDOW_MS, Idempotency } from '../../shared/domain/idempotency.ts';
import type { StoredResponse } from '../../shared/ports/idempotency-store.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { ManualClock } from '../support/manual-clock.ts';

const table: TestTable = await createTestTable();
const store = new IdempotencyTable(table.documents, table.tableName);
afterAll(() => table.drop());

let counter = 0;
const nextKey = () => `key #${++counter} with spaces/and#hashes`;
// Key order, spacing and escapes as a handler wrote them: a replay must not re-serialise.
const answer: StoredResponse = {
  status: 201,
  headers: { 'content-type': 'application/json', etag: '"1"' },
  body: '{"z":1,"a":"\\u00e9 \u00e9","m":[3,1,2]}',
};

describe('IdempotencyTable against DynamoDB Local', () => {
  it('claims once; the completed answer replays with its exact status, headers and bytes', async () => {
    const key = nextKey();
    const now = Date.now();
    const request = {
      storeId: 'is_a',
      key,
      fingerprint: 'f1',
      now,
      expiresAt: now + 600_000,
      leaseUntil: now + 60_000,
    };
    expect(await store.claim(request)).toEqual({ kind: 'claimed' });
    expect(await store.claim(request)).toEqual({ kind: 'in-progress' });
    expect(await store.claim({ ...request, fingerprint: 'f2' })).toEqual({ kind: 'mismatch' });
    await store.complete('is_a', key, answer);
    expect(await store.claim(request)).toEqual({ kind: 'replay', response: answer });
    // Keys are per identity store.
    expect(await store.claim({ ...request, storeId: 'is_b' })).toEqual({ kind: 'claimed' });
  });

  it('completes only a record that is still there: a swept claim is not written back without TTL or owner', async () => {
    const key = nextKey();
    const now = Date.now();
    await store.claim({
      storeId: 'is_swept',
      key,
      fingerprint: 'f',
      now,
      expiresAt: now + 600_000,
      leaseUntil: now + 60_000,
    });
    // The store's sweep removes the claim while the request still runs.
    await store.release('is_swept', key);
    await store.complete('is_swept', key, answer);
    expect((await table.scanAll()).filter((item) => String(item.pk).includes('is_swept'))).toEqual([]);
  });

  it('marks its items as owned by the store (the deletion sweep finds them by it) with a TTL', async () => {
    const key = nextKey();
    const now = Date.now();
    await store.claim({
      storeId: 'is_owner',
      key,
      fingerprint: 'f',
      now,
      expiresAt: now + 600_000,
      leaseUntil: now,
    });
    const item = (await table.scanAll()).find((i) => String(i.pk).endsWith(key))!;
    expect(item).toMatchObject({
      storeId: 'is_owner',
      ownerShard: ownerShardOf('is_owner', String(item.pk)),
      ttl: Math.ceil((now + 600_000) / 1000),
    });
  });

  it('frees a key after expiry, after a lapsed lease, and on release', async () => {
    const now = Date.now();
    const base = { storeId: 'is_c', fingerprint: 'f', now, expiresAt: now + 1000, leaseUntil: now + 500 };
    const expired = nextKey();
    await store.claim({ ...base, key: expired });
    await store.complete('is_c', expired, answer);
    expect((await store.claim({ ...base, key: expired, now: now + 2000 })).kind).toBe('claimed');

    const crashed = nextKey();
    await store.claim({ ...base, key: crashed });
    expect((await store.claim({ ...base, key: crashed, now: now + 100 })).kind).toBe('in-progress');
    expect((await store.claim({ ...base, key: crashed, now: now + 600 })).kind).toBe('claimed');

    const released = nextKey();
    await store.claim({ ...base, key: released });
    await store.release('is_c', released);
    expect((await store.claim({ ...base, key: released })).kind).toBe('claimed');
  });
});

describe('Idempotency (the domain rule) on the table', () => {
  const clock = new ManualClock();
  const idempotency = () => new Idempotency(store, clock);

  it('stores only 2xx answers: a 4xx or a thrown error lets the retry run again', async () => {
    const key = nextKey();
    let runs = 0;
    const refuse = async () => ({ ...answer, status: 422, body: `{"run":${++runs}}` });
    await idempotency().run('is_d', key, 'f', refuse);
    expect((await idempotency().run('is_d', key, 'f', refuse)).replayed).toBe(false);
    await expect(
      idempotency().run('is_d', key, 'f', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    const ok = await idempotency().run('is_d', key, 'f', async () => answer);
    expect(ok).toEqual({ response: answer, replayed: false });
    expect(await idempotency().run('is_d', key, 'f', async () => ({ ...answer, body: 'other' }))).toEqual({
      response: answer,
      replayed: true,
    });
    expect(runs).toBe(2);
  });

  it('is 409 for another body, and while the first request still runs (within its lease)', async () => {
    const key = nextKey();
    let release!: () => void;
    const first = idempotency().run(
      'is_e',
      key,
      'f',
      () => new Promise((ok) => (release = () => ok(answer))),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(idempotency().run('is_e', key, 'f', async () => answer)).rejects.toBeInstanceOf(Conflict);
    release();
    await first;
    await expect(idempotency().run('is_e', key, 'g', async () => answer)).rejects.toBeInstanceOf(Conflict);
    clock.advance(IDEMPOTENCY_WINDOW_MS + 1000);
    expect((await idempotency().run('is_e', key, 'g', async () => answer)).replayed).toBe(false);
    expect(IDEMPOTENCY_LEASE_MS).toBeLessThan(IDEMPOTENCY_WINDOW_MS);
  });
});
