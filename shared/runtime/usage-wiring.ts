import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UsageCounterTable } from '../adapters/dynamodb/usage-counter-table.ts';
import { LocalFault } from '../adapters/faults/side-path-faults.ts';
import type { IdentityStore } from '../domain/identity-stores/identity-store.ts';
import { UsageProjection } from '../domain/usage/usage-projection.ts';
import { UsageRecorder, usageOfReceipts } from '../domain/usage/usage-recorder.ts';
import { UsageReports } from '../domain/usage/usage-report.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/events.ts';
import { cryptoRandom } from '../ports/random.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import type { RuntimeConfig } from './config.ts';

type StoreLookup = { get(id: string): Promise<IdentityStore | undefined> };

export interface UsageWiringDeps {
  config: Pick<RuntimeConfig, 'localMode' | 'tableName' | 'faults'>;
  /** The route's client (its requests are the route's budget). */
  documents: DynamoDBDocumentClient;
  /** The projection's client locally: beside the publication, not in the request's own round trips. */
  sideDocuments: DynamoDBDocumentClient;
  /** The table itself: a deleted store is 404 at once, whatever a cache still holds. */
  stores: StoreLookup;
  cachedStores: StoreLookup;
  clock: Clock;
  telemetry: Telemetry;
}

/**
 * The usage ledger (issue 26): the route's reader everywhere; locally, the in-process projection fed by
 * each publication and each recorded receipt. Deployed, the table's stream feeds the same projection
 * (functions/table-stream-aggregates), so no request writes a counter.
 */
export function usageWiring(deps: UsageWiringDeps) {
  const { config, clock, telemetry } = deps;
  const reports = new UsageReports({
    counters: new UsageCounterTable(deps.documents, config.tableName),
    stores: deps.stores,
    clock,
  });
  if (!config.localMode) {
    return { reports, publisher: (inner: EventPublisher) => inner, receipts: undefined };
  }
  // Shards are drawn from a source of their own, so a test's scripted draws (codes, ids) stay as scripted.
  const projection = config.faults.has('usage-counter')
    ? { apply: async () => Promise.reject(new LocalFault('usage-counter')) }
    : usageProjection(deps.sideDocuments, config.tableName);
  const currencyOf = async (storeId: string) => (await deps.cachedStores.get(storeId))?.spendLimits.currency;
  return {
    reports,
    publisher: (inner: EventPublisher): EventPublisher => new UsageRecorder(inner, projection, telemetry),
    receipts: usageOfReceipts(projection, currencyOf, telemetry),
  };
}

export function usageProjection(documents: DynamoDBDocumentClient, tableName: string): UsageProjection {
  return new UsageProjection({
    counters: new UsageCounterTable(documents, tableName),
    random: cryptoRandom,
  });
}
