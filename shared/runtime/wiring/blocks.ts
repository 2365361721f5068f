import { FraudCounterTable } from '../../adapters/dynamodb/fraud-counter-table.ts';
import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { BlockService } from '../../domain/fraud/block-service.ts';
import { audited } from './event-publishing.ts';
import { feature } from '../context.ts';

/** The fraud guard's active blocks (the blocks routes). */
export const blocks = /* @__PURE__ */ feature('blocks', (ctx) => {
  const { config } = ctx;
  return audited(
    ctx,
    new BlockService({
      stores: new IdentityStoreTable(ctx.documents(), config.tableName),
      counters: new FraudCounterTable(ctx.documents(), config.tableName),
      clock: ctx.clock,
    }),
  );
});
