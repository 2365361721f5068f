import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeStoreTable } from '../../shared/adapters/dynamodb/challenge-store-table.ts';
import { transactParts } from '../../shared/adapters/dynamodb/transactions.ts';
import { CancelChallenge } from '../../shared/domain/challenges/cancel-challenge.ts';
import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import { VerifyCode } from '../../shared/domain/challenges/verify-code.ts';
import { codeHash } from '../../shared/domain/codes/code.ts';
import type { ChallengeStore } from '../../shared/ports/challenge-store.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** api.md "Cancel": a cancel racing a right-code verify, against DynamoDB Local with injected delays. */
const pepper = Buffer.from('test-pepper');
const T0 = Date.UTC(2026, 11, 6, 12);
const CODE = '123456';
let table: TestTable;
let store: ChallengeStoreTable;

beforeAll(async () => {
  table = await createTestTable();
  store = new ChallengeStoreTable(table.documents, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

async function liveChallenge(id: string): Promise<void> {
  const challenge: ChallengeRecord = {
    id,
    storeId: 'ids_a',
    userId: null,
    purpose: 'verify-phone',
    phone: '+447400123456',
    codes: { [codeHash(pepper, id, CODE)]: T0 + 300_000 },
    tried: {},
    triedAt: {},
    attempts: 0,
    maxAttempts: 5,
    sends: 1,
    lastSentAt: T0,
    expiresAt: T0 + 300_000,
    createdAt: new Date(T0).toISOString(),
    factorFailuresAtIssue: 0,
    factorLastUsedAt: null,
  };
  await transactParts(table.documents, [store.putPart(challenge)]);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** The same table, with a delay before each read or write that `delays` names. */
function delayed(delays: { get?: number; cancel?: number; attempt?: number }): ChallengeStore {
  return Object.assign(Object.create(store) as ChallengeStore, {
    get: async (id: string) => (await pause(delays.get ?? 0), store.get(id)),
    cancel: async (id: string, attempts: number, now: number) => (
      await pause(delays.cancel ?? 0),
      store.cancel(id, attempts, now)
    ),
    attempt: async (...args: Parameters<ChallengeStore['attempt']>) => (
      await pause(delays.attempt ?? 0),
      store.attempt(...args)
    ),
  });
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { slug?: string }) => error.slug ?? String(error),
  );

describe('cancel against a right-code verify', () => {
  it('50 races with delays on every step: never both succeed, and the loser says why', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const tally = { canceled: 0, approved: 0 };
    // 50 races, and more (up to 200) until both outcomes happened: on a loaded machine DynamoDB Local's
    // latency can swamp the injected delays, so one side may win every one of the first 50.
    const bothSeen = () => tally.canceled > 0 && tally.approved > 0;
    for (let race = 0; race < 50 || (race < 200 && !bothSeen()); race++) {
      const id = `ch_race${race}`;
      await liveChallenge(id);
      // Delays of 0..9 ms spread the requests over every order of their storage calls.
      const jitter = (k: number) => (race * 7 + k * 3) % 10;
      const cancel = new CancelChallenge({
        challenges: delayed({ get: jitter(1), cancel: jitter(2) }),
        clock,
      });
      const verify = new VerifyCode({
        challenges: delayed({ attempt: jitter(3) }),
        factors: {} as never,
        notifier: { notify: async () => undefined },
        pepper: fixedPepper(pepper),
        clock,
        telemetry: noTelemetry,
      });
      const [canceled, verified] = await Promise.all([
        outcome(cancel.run({ storeId: 'ids_a', applicationId: null }, id)),
        outcome(verify.run('ids_a', id, CODE)),
      ]);
      const after = await store.get(id);
      if (verified === 'ok') {
        expect(canceled).toBe('challenge-used');
        expect(after?.canceledAt).toBeUndefined();
        tally.approved++;
      } else {
        expect(verified).toBe('challenge-expired');
        expect(canceled).toBe('ok');
        expect(after?.canceledAt).toBeDefined();
        tally.canceled++;
      }
    }
    // The delays made both outcomes happen, so the race was really run both ways.
    expect(tally.canceled).toBeGreaterThan(0);
    expect(tally.approved).toBeGreaterThan(0);
  }, 180_000);

  it('a cancel whose read saw no attempt loses its write to a verify counted meanwhile', async () => {
    const id = 'ch_lost';
    await liveChallenge(id);
    const now = T0 + 60_000;
    expect(await store.attempt(id, 'ids_a', [codeHash(pepper, id, CODE)], now)).toMatchObject({
      kind: 'counted',
    });
    expect(await store.cancel(id, 0, now)).toBe(false);
    expect((await store.get(id))?.closedAt).toBeUndefined();
  });
});
