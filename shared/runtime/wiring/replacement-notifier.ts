import { LambdaNotifier } from '../../adapters/lambda-notifier.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { Context } from '../context.ts';

/**
 * A replaced number's notice for a function that sends nothing itself: deployed, the notifier function
 * (strategy `replacementNotice: 'lambda'`); locally, what the local context hands in (the context part
 * `replacementNotice`), so that no deployed function bundles a delivery for it. Made on the first notice:
 * most verifications replace no number.
 */
export function replacementNotifier(ctx: Context): ReplacementNotifier {
  switch (ctx.strategies.replacementNotice) {
    case 'lambda':
      return new LambdaNotifier(ctx.aws.lambda, ctx.config.notifierFunctionName!);
    case 'in-process': {
      let made: ReplacementNotifier | undefined;
      return {
        notify: (storeId, phone) => {
          const inProcess = ctx.parts.replacementNotice;
          if (!inProcess)
            throw new Error(
              'No replacement notice in process: local mode hands one in (local/local-context.ts).',
            );
          made ??= inProcess(ctx);
          return made.notify(storeId, phone);
        },
      };
    }
  }
}
