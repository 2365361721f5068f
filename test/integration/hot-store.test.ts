import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterKey } from '../../shared/adapters/dynamodb/challenge-items.ts';
import { transactParts } from '../../shared/adapters/dynamodb/transactions.ts';
import { ConsoleSender } from '../../shared/adapters/sms/console-sender.ts';
import { DEFAULT_SEND_LIMITS } from '../../shared/domain/identity-stores/identity-store.ts';
import { storeDayWindow } from '../../shared/domain/sending/send-plan.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { localContext } from '../../local/local-context.ts';
import type { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import { challengeSends } from '../../shared/runtime/wiring/challenge-sends.ts';
import { mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { conflictEnforcingClient } from '../support/transaction-conflicts.ts';

/** api.md "Hot keys": no item is written by every send of a store, so one store's sends do not conflict. */
let server: TestServer;
let services: { challenges: ChallengeService };
let stats: { transactions: number; conflicts: number };
let storeId: string;

beforeAll(async () => {
  server = await startTestServer();
  const enforcing = conflictEnforcingClient(server.dynamoDbEndpoint);
  stats = enforcing.stats;
  process.env.CONFIG_CACHE_SECONDS = '60';
  const ctx = localContext({
    documents: enforcing.documents,
    // As deployed the side paths share the client; here they stay out of the conflict statistics.
    sidePathDocuments: createDocumentClient({ endpoint: server.dynamoDbEndpoint }),
    telemetry: noTelemetry,
    senders: {
      forType: () => new ConsoleSender(`${server.dataDir}/hot-outbox.jsonl`, systemClock, cryptoRandom),
    },
  });
  services = { challenges: challengeSends(ctx) };
  delete process.env.CONFIG_CACHE_SECONDS;
  const gateways = await server.admin('GET', '/admin/gateways');
  const store = await server.admin('POST', '/admin/identity-stores', {
    name: `Hot ${randomBytes(4).toString('hex')}`,
    smsAuth: { enabled: true, gatewayId: gateways.body.items[0].id },
    sendLimits: { perStorePerDay: 100_000 },
    // Every fraud-guard and spend counter on, all sends to one country (and one range): the hot keys.
    fraudGuard: {
      maxUnverifiedPerPrefixPerHour: 1_000_000,
      maxUnverifiedPerCountryPerHour: 100_000,
      perApplicationPerMinute: 100_000,
    },
    spendLimits: { dailyBudget: 100_000, countryDailyBudget: { GB: 100_000 } },
  });
  storeId = store.body.id;
});
afterAll(async () => {
  await server.stop();
});

/** Runs `count` tasks with at most `inFlight` at a time. */
async function pool<T>(count: number, inFlight: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe('one store under load, with DynamoDB’s transaction-conflict rule enforced', () => {
  it('the double enforces the rule: 50 concurrent transactions on one counter item conflict', async () => {
    const key = counterKey(storeId, '', storeDayWindow(DEFAULT_SEND_LIMITS, Date.now(), 0).window);
    const { documents } = conflictEnforcingClient(server.dynamoDbEndpoint);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        transactParts(
          documents,
          [
            {
              name: 'store',
              write: {
                Update: {
                  TableName: server.tableName,
                  Key: key,
                  UpdateExpression: 'ADD n :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            },
          ],
          2,
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('200 sends for one store and one country with 50 in flight, every fraud-guard counter on, all succeed, with no conflict at all', async () => {
    const before = stats.conflicts;
    const results = await pool(200, 50, () =>
      services.challenges.verifyPhone(storeId, mobileNumber()).then(
        () => 'sent',
        (error: { slug?: string }) => error.slug ?? String(error),
      ),
    );
    expect(results.filter((r) => r !== 'sent')).toEqual([]);
    expect(results).toHaveLength(200);
    expect(stats.conflicts - before).toBe(0);
  }, 60_000);
});
