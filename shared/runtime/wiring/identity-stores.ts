import { ApplicationTable } from '../../adapters/dynamodb/application-table.ts';
import { GatewayTable } from '../../adapters/dynamodb/gateway-table.ts';
import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import {
  IdentityStoreService,
  type IdentityStoreServiceDeps,
} from '../../domain/identity-stores/identity-store-service.ts';
import type { StoreCleanup } from '../../ports/store-cleanup.ts';
import { audited } from './event-publishing.ts';
import { feature, type Context } from '../context.ts';

/**
 * The identity store service with what every route uses, and `extra`: each route's wiring adds only
 * what its use case needs (the writes the number lists' rules and the pepper, the delete its cleanup),
 * so a route bundles no more (the rules carry libphonenumber's metadata, the pepper Secrets Manager).
 */
export function identityStoreService(ctx: Context, extra: Partial<IdentityStoreServiceDeps>) {
  const { config } = ctx;
  return audited(
    ctx,
    new IdentityStoreService({
      stores: new IdentityStoreTable(ctx.documents(), config.tableName),
      applications: new ApplicationTable(ctx.documents(), config.tableName),
      gateways: new GatewayTable(ctx.documents(), config.tableName),
      clock: ctx.clock,
      random: ctx.random,
      testNumbersAllowed: config.testNumbersAllowed,
      adaptiveRoutingAllowed: config.adaptiveRoutingAllowed,
      deliveryFailoverAllowed: config.deliveryFailoverAllowed,
      voiceAllowed: config.voiceAllowed,
      ...extra,
    }),
  );
}

/** `GET /admin/identity-stores` and `GET .../{storeId}`. */
export const identityStores = /* @__PURE__ */ feature('identity stores', (ctx) =>
  identityStoreService(ctx, {}),
);

/** `DELETE /admin/identity-stores/{storeId}`. */
export const identityStoreRemoval = /* @__PURE__ */ feature('identity store removal', (ctx) =>
  identityStoreService(ctx, { cleanup: storeCleanup(ctx) }),
);

/**
 * Deployed, deleting the store item is all the request does: the table's stream runs the sweeper. In
 * local mode the request sweeps, with the sweep the local context hands in (local/local-context.ts), so
 * the deployed delete bundles neither the sweep nor the secret store it removes hook secrets from.
 */
function storeCleanup(ctx: Context): StoreCleanup {
  switch (ctx.strategies.storeCleanup) {
    case 'stream':
      return { storeDeleted: async () => undefined };
    case 'in-request': {
      const sweep = ctx.parts.inRequestSweep;
      if (!sweep)
        throw new Error('local mode needs the context part inRequestSweep (local/local-context.ts)');
      return sweep(ctx);
    }
  }
}
