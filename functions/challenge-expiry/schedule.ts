import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import * as z from 'zod';
import { logger, metrics, tracer } from '../../shared/observability/powertools.ts';
import { services } from '../../shared/runtime/container.ts';

/** The bus's `challenge.created` event: `detail` is the event line (eventbridge-publisher.ts). */
const event = z.object({
  detail: z.object({
    data: z.object({
      storeId: z.string().min(1),
      challengeId: z.string().min(1),
      expiresAt: z.iso.datetime(),
    }),
  }),
});

/**
 * Run by the bus rule on `challenge.created` (asynchronously): schedules that challenge's expiry check.
 * A failure throws, so Lambda retries it and then keeps it in the failure queue, which alarms.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (input: unknown) => {
    const parsed = event.safeParse(input);
    if (!parsed.success) {
      // Retrying cannot fix it: the rule matched something that is not our event.
      logger.error('expiry schedule: malformed event');
      return { scheduled: false };
    }
    const { storeId, challengeId, expiresAt } = parsed.data.detail.data;
    const { expiryReports } = await services();
    if (!expiryReports) throw new Error('expiry reports are not configured (EXPIRY_SCHEDULE_GROUP)');
    await expiryReports.schedule.run(storeId, challengeId, Date.parse(expiresAt));
    return { scheduled: true };
  });
