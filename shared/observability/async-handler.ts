import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type * as z from 'zod';
import { logger, metrics } from './powertools.ts';
import { traced } from './tracer.ts';
import { withEventsSettled } from '../runtime/event-hooks.ts';

/**
 * An asynchronously invoked function (another function, a bus rule, a schedule): Powertools around it,
 * and its input checked first. Malformed input is logged and answered with `malformed`, not thrown: no
 * retry can fix it. What `work` throws is retried by Lambda and ends in the function's failure queue.
 */
export function asyncHandler<Input, Result>(
  what: string,
  input: z.ZodType<Input>,
  malformed: Result,
  work: (input: Input) => Promise<Result>,
) {
  return middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(traced())
    .handler(async (event: unknown) => {
      const parsed = input.safeParse(event);
      if (!parsed.success) {
        logger.error(`${what}: malformed event`);
        return malformed;
      }
      return withEventsSettled(() => work(parsed.data));
    });
}
