import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { feature } from '../context.ts';
import { supportWiring } from '../support-wiring.ts';
import { notifier } from './challenges.ts';
import { pepper } from './config-reads.ts';
import { consoleDelivery } from './delivery.ts';
import { audited, events } from './events.ts';

/** The support desk's user routes (issue 28): lookup, reset (its notice by the notifier strategy) and unlock. */
export const userSupport = /* @__PURE__ */ feature('user support', (ctx) =>
  audited(
    ctx,
    supportWiring({
      documents: ctx.documents(),
      tableName: ctx.config.tableName,
      stores: new IdentityStoreTable(ctx.documents(), ctx.config.tableName),
      notifier: notifier(ctx, consoleDelivery(ctx)),
      pepper: pepper(ctx),
      clock: ctx.clock,
      random: ctx.random,
      events: events(ctx).log,
    }),
  ),
);
