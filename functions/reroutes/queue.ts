import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { rerouteJobOf } from '../../shared/adapters/reroutes/sqs-reroute-queue.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { traced } from '../../shared/observability/tracer.ts';
import { withEventsSettled } from '../../shared/runtime/event-hooks.ts';
import { reroutes } from '../../shared/runtime/wiring/reroutes.ts';

const processor = new BatchProcessor(EventType.SQS);

/**
 * One due reroute job. A job that throws (a read that failed before its claim) is reported, so SQS
 * delivers it again, and after the queue's receives it lands in the alarmed dead-letter queue; the
 * claim makes a second delivery of a job that did reroute send nothing.
 */
async function runJob(record: SQSRecord): Promise<void> {
  const job = rerouteJobOf(record.body);
  if (!job) {
    // Never the body: a message that is not a job may hold anything.
    logger.error('a reroute message without a job is dropped', { messageId: record.messageId });
    return;
  }
  const outcome = await reroutes().run(job);
  logger.info('reroute job', {
    storeId: job.storeId,
    challengeId: job.challengeId,
    reason: job.reason,
    outcome: outcome.kind,
    ...(outcome.kind === 'rerouted' ? { toGatewayId: outcome.toGatewayId } : { why: outcome.why }),
  });
}

/** The reroute delay queue's consumer (cdk/constructs/reroute-jobs.ts): partial batch failures. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(traced())
  // What the reroutes published and armed (code.rerouted, code.sent, the send record, the rerouted
  // message's own deadline job) is done before the function returns.
  .handler(async (event, context) =>
    withEventsSettled(() => processPartialResponse(event, runJob, processor, { context })),
  );
