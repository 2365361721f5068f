import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import * as z from 'zod';
import { logger, metrics, tracer } from '../../shared/observability/powertools.ts';
import { services } from '../../shared/runtime/container.ts';

/** What each one-time schedule passes (eventbridge-expiry-scheduler.ts). */
const event = z.object({ storeId: z.string().min(1), challengeId: z.string().min(1) });

/**
 * Run by a challenge's one-time schedule (asynchronously): reports its expiry at most once; a late or
 * repeated run finds the mark set, or another ending, and emits nothing.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (input: unknown) => {
    const parsed = event.safeParse(input);
    if (!parsed.success) {
      logger.error('expiry report: malformed event');
      return { kind: 'done' as const };
    }
    const { expiryReports, events } = await services();
    if (!expiryReports) throw new Error('expiry reports are not configured (EXPIRY_SCHEDULE_GROUP)');
    const check = await expiryReports.report.run(parsed.data.storeId, parsed.data.challengeId);
    // The event is put on the bus before the function ends (a frozen process would lose it).
    await events.settled();
    return check;
  });
