import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { deliveryIncrements, type ItemChange } from '../adapters/dynamodb/delivery-stats-stream.ts';
import { DeliveryStatsTable } from '../adapters/dynamodb/delivery-stats-table.ts';
import { SendHistoryTable } from '../adapters/dynamodb/send-history-table.ts';
import { systemClock } from '../ports/clock.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import { powertoolsTelemetry } from '../observability/powertools-telemetry.ts';
import { cryptoRandom } from '../ports/random.ts';
import type { RuntimeConfig } from './config.ts';

export type { ItemChange } from '../adapters/dynamodb/delivery-stats-stream.ts';

/** One aggregate the table stream feeds: it reads a batch's changes and writes its counters (idempotence: see the handler). */
export interface Projection {
  name: string;
  project(changes: readonly ItemChange[]): Promise<void>;
}

/**
 * The projections of the one table-stream consumer (functions/table-stream-aggregates): delivery
 * statistics for routing here; further aggregates (usage counters by day) are one more entry.
 */
export function streamProjections(
  config: RuntimeConfig,
  telemetry: Telemetry = powertoolsTelemetry,
): Projection[] {
  const documents = createDocumentClient(
    config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {},
  );
  const now = () => systemClock.now().getTime();
  const history = new SendHistoryTable(documents, config.tableName, now);
  const stats = new DeliveryStatsTable(documents, config.tableName, systemClock, cryptoRandom);
  return [
    {
      name: 'delivery-stats',
      project: async (changes) => {
        const increments = (await Promise.all(changes.map((c) => deliveryIncrements(c, history)))).flat();
        if (increments.length > 0) await stats.add(increments);
        // The dashboard's conversion per gateway and country (accepted against approvals credited).
        for (const { count, gatewayId, country } of increments) {
          if (count === 'accepted') telemetry.count('GatewayAccepted', { country, gatewayId });
          if (count === 'approved') telemetry.count('GatewayApproved', { country, gatewayId });
        }
      },
    },
  ];
}
