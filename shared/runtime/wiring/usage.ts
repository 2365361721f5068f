import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import type { EventPublisher } from '../../ports/events.ts';
import { feature, type Context } from '../context.ts';
import { usageWiring } from '../usage-wiring.ts';
import { cachedStores } from './config-reads.ts';

/**
 * The usage ledger: the route's reader, and locally the in-process projection that the event publisher
 * and the receipts feed (wiring/events.ts, wiring/receipts.ts).
 */
export const usage = /* @__PURE__ */ feature('usage', (ctx) =>
  usageWiring({
    config: ctx.config,
    documents: ctx.documents(),
    sideDocuments: ctx.parts.streamDocuments ?? ctx.sidePathDocuments(),
    stores: new IdentityStoreTable(ctx.documents(), ctx.config.tableName),
    cachedStores: cachedStores(ctx),
    clock: ctx.clock,
    telemetry: ctx.telemetry,
  }),
);

/** Local mode's part `eventFeeds` (with routing's): the usage projection fed by each publication. */
export const feedUsage = (ctx: Context, inner: EventPublisher): EventPublisher => usage(ctx).publisher(inner);
