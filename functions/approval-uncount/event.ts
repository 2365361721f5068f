import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { traced } from '../../shared/observability/tracer.ts';
import { deferredUncount } from '../../shared/runtime/wiring/challenge-records.ts';

/** The bus event's detail: the event line (shared/adapters/events/eventbridge-publisher.ts). */
interface ApprovedDetail {
  data?: { storeId?: unknown; challengeId?: unknown };
}

/**
 * `challenge.approved` on the event bus -> the approval's sends leave the unverified counts
 * (DeferredUncount). A throw makes Lambda retry the event, then put it on the on-failure queue, which
 * alarms; a redelivered event finds the challenge's mark and changes nothing.
 */
export const handler = middy<EventBridgeEvent<'challenge.approved', ApprovedDetail>, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(traced())
  .handler(async (event) => {
    const { storeId, challengeId } = event.detail?.data ?? {};
    if (typeof storeId !== 'string' || typeof challengeId !== 'string') {
      logger.warn('challenge.approved without storeId and challengeId; ignored');
      return;
    }
    const outcome = await deferredUncount().approved(storeId, challengeId);
    logger.info('approval un-count', { storeId, challengeId, outcome });
  });
