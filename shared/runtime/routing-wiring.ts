import { InProcessDeliveryStats } from '../adapters/routing/in-process-delivery-stats.ts';
import type { IdentityStore } from '../domain/identity-stores/identity-store.ts';
import { RoutingSnapshot } from '../domain/routing/routing-snapshot.ts';
import { RoutingFactsReader, type RoutingFactsSource } from '../domain/sending/routing-facts.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryStats } from '../ports/delivery-stats.ts';
import { DeliveryStatsTable } from '../adapters/dynamodb/delivery-stats-table.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventPublisher } from '../ports/events.ts';
import type { GatewayHealthView } from '../ports/gateway-health.ts';
import { seededRandom, type Random } from '../ports/random.ts';
import type { RuntimeConfig } from './config.ts';

/** Routing's services: the facts each send is routed on, the routing snapshot route, the stats feed. */
export interface RoutingWiring {
  facts: RoutingFactsSource;
  /** The statistics sends route on (bounded deadline reroutes read them too). */
  stats: DeliveryStats;
  snapshot: RoutingSnapshot;
  /** Wraps the event publisher so that local mode counts each event in-process as it is emitted. */
  feed(publisher: EventPublisher): EventPublisher;
}

/**
 * Gateway health is the failover feature's (GatewayHealthView); until it is wired, every gateway reads
 * as closed with nothing counted.
 */
export const ALL_CLOSED: GatewayHealthView = {
  health: async (gatewayIds) =>
    new Map(gatewayIds.map((id) => [id, { state: 'closed' as const, failures: 0, attempts: 0 }])),
};

export function routingWiring(deps: {
  config: RuntimeConfig;
  clock: Clock;
  random: Random;
  /** The admin route reads the store itself (uncached); sends pass the store they hold. */
  stores: { get(id: string): Promise<IdentityStore | undefined> };
  /** Deployed: the table the stream consumer's counters are read from. */
  documents: DynamoDBDocumentClient;
  health?: GatewayHealthView;
  stats?: DeliveryStats;
}): RoutingWiring {
  const { config, clock } = deps;
  const local = config.localMode ? new InProcessDeliveryStats(clock) : undefined;
  // Deployed: sends never wait for a counter read; the snapshot route does.
  const table = (wait: boolean) =>
    new DeliveryStatsTable(deps.documents, config.tableName, clock, deps.random, wait);
  const stats = deps.stats ?? local ?? table(false);
  const shown = deps.stats ?? local ?? table(true);
  const health = deps.health ?? ALL_CLOSED;
  // Locally ROUTING_SEED makes the exploration draws repeatable; they never share the code generator.
  const random = config.routingSeed !== undefined ? seededRandom(config.routingSeed) : deps.random;
  return {
    facts: new RoutingFactsReader({
      stats,
      health,
      random,
      adaptiveAllowed: config.adaptiveRoutingAllowed,
      clock,
    }),
    stats,
    snapshot: new RoutingSnapshot({ stores: deps.stores, stats: shown, health, clock }),
    feed: (publisher) => (local ? local.feeding(publisher) : publisher),
  };
}
