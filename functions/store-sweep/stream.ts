import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deletedStoreId } from '../../shared/adapters/dynamodb/store-stream.ts';
import { logger, metrics, tracer } from '../../shared/observability/powertools.ts';
import { services } from '../../shared/runtime/container.ts';

/**
 * The table stream's store deletions -> a sweep of each store's items. A failed sweep reports its
 * record, so Lambda retries from there (sweeping again is harmless); records past the retries or the
 * maximum age go to the on-failure queue, which alarms.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event) => {
    const { storeSweep } = await services();
    for (const record of event.Records) {
      const storeId = deletedStoreId(record);
      if (!storeId) continue;
      try {
        const deleted = await storeSweep.sweep(storeId);
        logger.info('identity store swept', { storeId, deleted });
      } catch (error) {
        logger.error('identity store sweep failed; the batch is retried from this record', {
          storeId,
          error,
        });
        // Stream batches retry from the first failure on, so the records after it need no report.
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  });
