import { fixedPepper } from '../support/fixed-pepper.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeStoreTable } from '../../shared/adapters/dynamodb/challenge-store-table.ts';
import { transactParts } from '../../shared/adapters/dynamodb/transactions.ts';
import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import { VerifyCode } from '../../shared/domain/challenges/verify-code.ts';
import { codeHash } from '../../shared/domain/codes/code.ts';
import type { ChallengeStore } from '../../shared/ports/challenge-store.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { ManualClock } from '../support/manual-clock.ts';

const pepper = Buffer.from('test-pepper');
const T0 = Date.UTC(2026, 11, 1, 12);
let table: TestTable;
let store: ChallengeStoreTable;

beforeAll(async () => {
  table = await createTestTable();
  store = new ChallengeStoreTable(table.documents, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

let next = 0;
/** A verify-phone challenge with two live codes, as a send and a resend leave it. */
async function twoCodeChallenge(): Promise<{ id: string; codes: [string, string] }> {
  const id = `ch_test${next++}`;
  const codes: [string, string] = ['111111', '222222'];
  const challenge: ChallengeRecord = {
    id,
    storeId: 'ids_a',
    userId: null,
    purpose: 'verify-phone',
    phone: '+447400123456',
    codes: Object.fromEntries(codes.map((code) => [codeHash(pepper, id, code), T0 + 300_000])),
    tried: {},
    triedAt: {},
    attempts: 0,
    maxAttempts: 5,
    sends: 2,
    lastSentAt: T0,
    expiresAt: T0 + 300_000,
    createdAt: new Date(T0).toISOString(),
    factorFailuresAtIssue: 0,
    factorLastUsedAt: null,
  };
  await transactParts(table.documents, [store.putPart(challenge)]);
  return { id, codes };
}

/** A verifier with its own clock whose counting write waits for `gate` (an injected delay). */
function verifier(nowMs: number, gate: Promise<void> = Promise.resolve()) {
  const delayed: ChallengeStore = {
    get: (id) => store.get(id),
    close: (ids, now) => store.close(ids, now),
    cancel: (id, attempts, now) => store.cancel(id, attempts, now),
    withdrawCode: (id, hash, options) => store.withdrawCode(id, hash, options),
    lockUntil: (ids, until, now) => store.lockUntil(ids, until, now),
    markExpiryReported: (id, now) => store.markExpiryReported(id, now),
    markUncounted: (id, now) => store.markUncounted(id, now),
    attempt: async (...args) => {
      await gate;
      return store.attempt(...args);
    },
  };
  return new VerifyCode({
    challenges: delayed,
    factors: {} as never,
    notifier: { notify: async () => undefined },
    pepper: fixedPepper(pepper),
    clock: new ManualClock(nowMs),
    telemetry: noTelemetry,
  });
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: { status?: number }) => error.status ?? 500,
  );

describe('a challenge is approved at most once', () => {
  it.each([
    ['code 1 lands first, stamped later', 0, 5_000],
    ['code 1 lands first, stamped earlier', 5_000, 0],
    ['code 2 lands first, stamped later', 0, -5_000],
    ['code 2 lands first, stamped earlier', -5_000, 0],
  ])('two codes verified in every write order: %s', async (_label, skew1, skew2) => {
    const { id, codes } = await twoCodeChallenge();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const firstLands = _label.startsWith('code 1') ? 0 : 1;
    const verifiers = [verifier(T0 + 60_000 + skew1), verifier(T0 + 60_000 + skew2)];
    // The request that lands second waits for the first one's write.
    const slow = verifier(T0 + 60_000 + (firstLands === 0 ? skew2 : skew1), gate);
    const fastIndex = firstLands;
    const slowIndex = 1 - firstLands;
    const fast = outcome(verifiers[fastIndex]!.run('ids_a', id, codes[fastIndex]!)).finally(release);
    const late = outcome(slow.run('ids_a', id, codes[slowIndex]!));
    const results = await Promise.all([fast, late]);
    expect(results.filter((status) => status === 200)).toHaveLength(1);
    expect(results.filter((status) => status === 409)).toHaveLength(1);
  });

  it('10 parallel verifications spread over both codes and skewed clocks: exactly one 200', async () => {
    for (let round = 0; round < 5; round++) {
      const { id, codes } = await twoCodeChallenge();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          outcome(verifier(T0 + 60_000 + (i % 3) * 7_000 - 7_000).run('ids_a', id, codes[i % 2]!)),
        ),
      );
      expect(results.filter((status) => status === 200)).toHaveLength(1);
    }
  });

  it('a code first presented after its own expiry is not an approval, and a later live code still is', async () => {
    const { id, codes } = await twoCodeChallenge();
    const hash = codeHash(pepper, id, codes[0]);
    // Code 1 expired at T0 + 60 s; code 2 lives on to T0 + 300 s.
    await table.documents.send(
      new (await import('@aws-sdk/lib-dynamodb')).UpdateCommand({
        TableName: table.tableName,
        Key: { pk: `CHALLENGE#${id}`, sk: 'CHALLENGE' },
        UpdateExpression: 'SET codes.#h = :expiry',
        ExpressionAttributeNames: { '#h': hash },
        ExpressionAttributeValues: { ':expiry': T0 + 60_000 },
      }),
    );
    expect(await outcome(verifier(T0 + 120_000).run('ids_a', id, codes[0]))).toBe(410);
    expect(await outcome(verifier(T0 + 130_000).run('ids_a', id, codes[1]))).toBe(200);
    expect(await outcome(verifier(T0 + 140_000).run('ids_a', id, codes[0]))).toBe(409);
  });
});

describe('ChallengeStoreTable', () => {
  it('records the storage order of first presentations and never rewrites it', async () => {
    const { id } = await twoCodeChallenge();
    await store.attempt(id, 'ids_a', ['hA'], T0 + 1);
    await store.attempt(id, 'ids_a', ['hB'], T0);
    const third = await store.attempt(id, 'ids_a', ['hA'], T0 + 2);
    expect(third.kind).toBe('counted');
    if (third.kind !== 'counted') return;
    expect(third.after).toMatchObject({
      attempts: 3,
      tried: { hA: 0, hB: 1 },
      triedAt: { hA: T0 + 1, hB: T0 },
    });
  });

  it('refuses attempts on a closed challenge and on another store’s; close and withdraw are idempotent', async () => {
    const { id } = await twoCodeChallenge();
    expect((await store.attempt(id, 'ids_b', ['h'], T0)).kind).toBe('refused');
    const closed = await store.close([id, 'ch_missing'], T0 + 1000);
    expect(closed.map((c) => [c.id, c.expiresAt])).toEqual([[id, T0 + 300_000]]);
    expect(await store.close([id], T0 + 2000)).toEqual([]);
    const refused = await store.attempt(id, 'ids_a', ['h'], T0 + 3000);
    expect(refused).toMatchObject({ kind: 'refused', before: { closedAt: T0 + 1000, expiresAt: T0 + 1000 } });
    await store.withdrawCode('ch_missing', 'h', { kill: true, now: T0 });
  });

  it('locks only unexpired challenges and marks an expiry once, never on a closed or exhausted one', async () => {
    const { id } = await twoCodeChallenge();
    expect(await store.markExpiryReported(id, T0 + 1000)).toBe(false);
    const locked = await store.lockUntil([id, 'ch_missing'], T0 + 900_000, T0 + 1000);
    expect(locked.map((c) => [c.id, c.lockedUntil])).toEqual([[id, undefined]]);
    expect(await store.lockUntil([id], T0 + 900_000, T0 + 300_000)).toEqual([]);
    expect(await store.markExpiryReported(id, T0 + 300_000)).toBe(true);
    expect(await store.markExpiryReported(id, T0 + 301_000)).toBe(false);
    expect((await store.get(id))?.expiryReportedAt).toBe(T0 + 300_000);
    const { id: closed } = await twoCodeChallenge();
    await store.close([closed], T0 + 1000);
    expect(await store.markExpiryReported(closed, T0 + 300_000)).toBe(false);
    const { id: killed } = await twoCodeChallenge();
    await store.withdrawCode(killed, 'h', { kill: true, now: T0 });
    expect(await store.markExpiryReported(killed, T0 + 300_000)).toBe(false);
  });

  it('consumes an approval once, and only for the user, store and number it was bound to', async () => {
    const { id } = await twoCodeChallenge();
    await table.documents.send(
      new (await import('@aws-sdk/lib-dynamodb')).UpdateCommand({
        TableName: table.tableName,
        Key: { pk: `CHALLENGE#${id}`, sk: 'CHALLENGE' },
        UpdateExpression: 'SET purpose = :auth, userId = :user',
        ExpressionAttributeValues: { ':auth': 'authenticate', ':user': 'u1' },
      }),
    );
    const use = { challengeId: id, storeId: 'ids_a', userId: 'u1', phone: '+447400123456' };
    for (const wrong of [{ userId: 'u2' }, { storeId: 'ids_b' }, { phone: '+447400123457' }]) {
      await expect(
        transactParts(table.documents, [store.consumePart({ ...use, ...wrong }, T0)]),
      ).rejects.toThrow(/approval/);
    }
    await transactParts(table.documents, [store.consumePart(use, T0)]);
    await expect(transactParts(table.documents, [store.consumePart(use, T0)])).rejects.toThrow(/approval/);
  });
});

describe('the un-count mark', () => {
  it('is set by exactly one of parallel calls, read back with the challenge, and never set on a missing one', async () => {
    const { id } = await twoCodeChallenge();
    const marked = await Promise.all(Array.from({ length: 5 }, (_, i) => store.markUncounted(id, T0 + i)));
    expect(marked.filter(Boolean)).toHaveLength(1);
    const at = (await store.get(id))?.uncountedAt;
    expect(at).toBe(T0 + marked.indexOf(true));
    expect(await store.markUncounted(id, T0 + 99)).toBe(false);
    expect(await store.markUncounted('ch_missing', T0)).toBe(false);
    expect(await store.get('ch_missing')).toBeUndefined();
  });
});
