import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import * as z from 'zod';
import { logger, metrics, tracer } from '../../shared/observability/powertools.ts';
import { services } from '../../shared/runtime/container.ts';
import '../../shared/runtime/providers.ts';

const event = z.object({ storeId: z.string().min(1), phone: z.string().regex(/^\+[1-9]\d{6,14}$/) });

/** Invoked asynchronously after an enrollment replaced a factor's number: tells the old number. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (input: unknown) => {
    const parsed = event.safeParse(input);
    if (!parsed.success) {
      logger.error('replacement notice: malformed event');
      return { sent: false };
    }
    const { replacementNotice } = await services();
    return { sent: await replacementNotice.send(parsed.data.storeId, parsed.data.phone) };
  });
