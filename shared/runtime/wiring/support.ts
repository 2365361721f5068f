import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { feature, type Context } from '../context.ts';
import { supportWiring } from '../support-wiring.ts';
import { pepper } from './config-reads.ts';
import { replacementNotifier } from './replacement-notifier.ts';
import { audited } from './event-publishing.ts';
import { events } from './events.ts';
import { namingUsers } from './user-refs.ts';

const auditedNamingUsers = <T>(ctx: Context, service: T): T => namingUsers(ctx, audited(ctx, service));

/** The support desk's user routes (issue 28): lookup, reset (its notice by the notifier strategy) and unlock. */
export const userSupport = /* @__PURE__ */ feature('user support', (ctx) =>
  auditedNamingUsers(
    ctx,
    supportWiring({
      documents: ctx.documents(),
      tableName: ctx.config.tableName,
      stores: new IdentityStoreTable(ctx.documents(), ctx.config.tableName),
      notifier: replacementNotifier(ctx),
      pepper: pepper(ctx),
      clock: ctx.clock,
      random: ctx.random,
      events: events(ctx).log,
    }),
  ),
);
