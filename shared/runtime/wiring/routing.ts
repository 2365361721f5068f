import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import type { EventPublisher } from '../../ports/events.ts';
import { feature, type Context } from '../context.ts';
import { routingWiring } from '../routing-wiring.ts';
import { gatewayHealth } from './gateway-health.ts';

/**
 * Routing (issue 26): the facts each send is routed on (a per-instance snapshot, never awaited on the send
 * path deployed), the routing snapshot route, and locally the in-process statistics fed by each event.
 */
export const routing = /* @__PURE__ */ feature('routing', (ctx) =>
  routingWiring({
    config: ctx.config,
    clock: ctx.clock,
    random: ctx.random,
    stores: new IdentityStoreTable(ctx.documents(), ctx.config.tableName),
    documents: ctx.documents(),
    health: gatewayHealth(ctx),
  }),
);

/** Local mode's part `eventFeeds` (with the usage ledger's): the in-process statistics fed by each event. */
export const feedRoutingStats = (ctx: Context, inner: EventPublisher): EventPublisher =>
  routing(ctx).feed(inner);
