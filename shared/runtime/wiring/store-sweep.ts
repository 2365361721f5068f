import { StoreSweep } from '../../adapters/dynamodb/store-sweep.ts';
import { SqsSweepAgain } from '../../adapters/sqs/sweep-again-queue.ts';
import { DeletedStoreSweep } from '../../domain/identity-stores/deleted-store-sweep.ts';
import type { SweepAgain } from '../../ports/store-items.ts';
import { secrets } from './secrets.ts';
import { feature, type Context } from '../context.ts';
import { localRequests, sweepAfterInFlight } from '../in-flight-requests.ts';

/** Removes a deleted store's items and its integrations' secrets, then sweeps again (by strategy). */
export const storeSweep = /* @__PURE__ */ feature('store sweep', (ctx): DeletedStoreSweep => {
  const sweep: DeletedStoreSweep = new DeletedStoreSweep({
    items: new StoreSweep(ctx.documents(), ctx.config.tableName),
    secrets: secrets(ctx),
    again: sweepAgain(ctx, (storeId) => sweep.sweep(storeId)),
  });
  return sweep;
});

function sweepAgain(ctx: Context, sweep: (storeId: string) => Promise<number>): SweepAgain {
  switch (ctx.strategies.sweepAgain) {
    case 'queue':
      return new SqsSweepAgain(ctx.aws.sqs, ctx.config.sweepAgainQueueUrl!);
    case 'after-in-flight':
      return sweepAfterInFlight(localRequests, sweep, (storeId, error) =>
        ctx.telemetry.warn('the second sweep of a deleted identity store failed', {
          storeId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    case 'unavailable':
      return {
        schedule: async () => {
          throw new Error('SWEEP_AGAIN_QUEUE_URL is required to sweep a deleted store a second time');
        },
      };
  }
}
