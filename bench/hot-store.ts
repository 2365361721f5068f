import { randomBytes } from 'node:crypto';
import { benchChallengeService, benchStore } from './bench-service.ts';
import { ensureTable } from '../shared/adapters/dynamodb/ensure-table.ts';
import {
  DEFAULT_SEND_LIMITS,
  type IdentityStore,
  DEFAULT_FRAUD_GUARD,
} from '../shared/domain/identity-stores/identity-store.ts';
import { storeDayWindow } from '../shared/domain/sending/send-plan.ts';
import type { IssueLedger } from '../shared/ports/issue-ledger.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { conflictEnforcingClient } from '../test/support/transaction-conflicts.ts';

export interface HotStoreResult {
  sends: number;
  inFlight: number;
  /** The store-wide day counter inside every send's transaction (the design before the core rebuild). */
  before: HotStoreRun;
  /** Sharded and outside the transaction (now). */
  after: HotStoreRun;
}

export interface HotStoreRun {
  sendsPerSecond: number;
  succeeded: number;
  refused: Record<string, number>;
  transactionConflicts: number;
}

/** One store's day counter in every transaction: what the ledger wrote before the rebuild. */
function withStoreCounterInTransaction(ledger: IssueLedger, store: IdentityStore): IssueLedger {
  const hot = (now: number) => ({
    ...storeDayWindow(store.sendLimits, now, 0).window,
    max: store.sendLimits.perStorePerDay,
  });
  return {
    start: (input) => ledger.start({ ...input, windows: [...input.windows, hot(input.now)] }),
    resend: (input) => ledger.resend({ ...input, windows: [...input.windows, hot(input.now)] }),
  };
}

/**
 * Sends for one store with `inFlight` at a time, against DynamoDB Local behind a client that enforces
 * DynamoDB's transaction-conflict rule (which DynamoDB Local does not), before and after the change.
 */
export async function benchHotStore(endpoint: string, sends = 400, inFlight = 50): Promise<HotStoreResult> {
  const tableName = `hot-${randomBytes(4).toString('hex')}`;
  await ensureTable(new DynamoDBClient({ endpoint }), tableName);
  const store = benchStore('ids_hot', {
    sendLimits: { ...DEFAULT_SEND_LIMITS, perStorePerDay: 1_000_000 },
    // One range and one country take every send: the guard's counters are on, its limits out of the way.
    fraudGuard: {
      ...DEFAULT_FRAUD_GUARD,
      maxUnverifiedPerPrefixPerHour: 1_000_000,
      maxUnverifiedPerCountryPerHour: 10_000_000,
    },
  });
  const run = async (before: boolean, offset: number): Promise<HotStoreRun> => {
    const { documents, stats } = conflictEnforcingClient(endpoint);
    const service = benchChallengeService(documents, tableName, store, undefined, (ledger) =>
      before ? withStoreCounterInTransaction(ledger, store) : ledger,
    );
    const refused: Record<string, number> = {};
    let succeeded = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < sends) {
          const phone = `+4474${String(offset + next++).padStart(8, '0')}`;
          try {
            await service.verifyPhone(store.id, phone);
            succeeded++;
          } catch (error) {
            const slug = (error as { slug?: string }).slug ?? 'error';
            refused[slug] = (refused[slug] ?? 0) + 1;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      sendsPerSecond: Math.round((succeeded / seconds) * 10) / 10,
      succeeded,
      refused,
      transactionConflicts: stats.conflicts,
    };
  };
  return { sends, inFlight, before: await run(true, 10_000_000), after: await run(false, 20_000_000) };
}
