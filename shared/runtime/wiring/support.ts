import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { LambdaNotifier } from '../../adapters/lambda-notifier.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import { feature, type Context } from '../context.ts';
import { supportWiring } from '../support-wiring.ts';
import { pepper } from './config-reads.ts';
import { audited, events } from './events.ts';
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

/**
 * The reset's notice to the replaced number. Deployed, the notifier function sends it (an asynchronous
 * invoke); in-process, the local context hands in the challenge core's delivery (local/local-context.ts),
 * so no deployed support function bundles the delivery it never runs. Asked for on the first notice:
 * the lookup and unlock functions have no notifier's name and never notify.
 */
function replacementNotifier(ctx: Context): ReplacementNotifier {
  switch (ctx.strategies.replacementNotice) {
    case 'lambda':
      return new LambdaNotifier(ctx.aws.lambda, ctx.config.notifierFunctionName!);
    case 'in-process':
      return {
        notify: (storeId, phone) => {
          const inProcess = ctx.parts.replacementNotice;
          if (!inProcess)
            throw new Error(
              'an in-process notice needs the context part replacementNotice (local/local-context.ts)',
            );
          return inProcess(ctx).notify(storeId, phone);
        },
      };
  }
}
