import { ApplicationTable } from '../../adapters/dynamodb/application-table.ts';
import { GatewayTable } from '../../adapters/dynamodb/gateway-table.ts';
import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { IdentityStoreService } from '../../domain/identity-stores/identity-store-service.ts';
import type { StoreCleanup } from '../../ports/store-cleanup.ts';
import { audited } from './events.ts';
import { feature, type Context } from '../context.ts';
import { pepper } from './config-reads.ts';
import { storeSweep } from './store-sweep.ts';

/** The identity store admin routes. */
export const identityStores = /* @__PURE__ */ feature('identity stores', (ctx) => {
  const { config } = ctx;
  return audited(
    ctx,
    new IdentityStoreService({
      stores: new IdentityStoreTable(ctx.documents(), config.tableName),
      applications: new ApplicationTable(ctx.documents(), config.tableName),
      gateways: new GatewayTable(ctx.documents(), config.tableName),
      cleanup: storeCleanup(ctx),
      clock: ctx.clock,
      random: ctx.random,
      pepper: pepper(ctx),
      testNumbersAllowed: config.testNumbersAllowed,
      adaptiveRoutingAllowed: config.adaptiveRoutingAllowed,
      deliveryFailoverAllowed: config.deliveryFailoverAllowed,
      voiceAllowed: config.voiceAllowed,
    }),
  );
});

/** Deployed, deleting the store item is all the request does: the table's stream runs the sweeper. */
function storeCleanup(ctx: Context): StoreCleanup {
  switch (ctx.strategies.storeCleanup) {
    case 'stream':
      return { storeDeleted: async () => undefined };
    case 'in-request':
      return { storeDeleted: async (storeId) => void (await storeSweep(ctx).storeDeleted(storeId)) };
  }
}
