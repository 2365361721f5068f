import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { deletedStoreId } from '../../shared/adapters/dynamodb/store-stream.ts';
import { sweepAgainStoreId } from '../../shared/adapters/sqs/sweep-again-queue.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { traced } from '../../shared/observability/tracer.ts';
import { storeSweep } from '../../shared/runtime/wiring/store-sweep.ts';

type SweepRecord = DynamoDBRecord | SQSRecord;
const fromQueue = (record: SweepRecord): record is SQSRecord => 'receiptHandle' in record;

/**
 * Two sources, one sweep. The table stream's store deletions: the first pass, which queues the second
 * (delayed past the sends still running). The sweep-again queue's messages: that second pass. A failed
 * sweep reports its record, so Lambda retries it (sweeping again is harmless); records past the retries
 * or the maximum age go to the failure queue, which alarms.
 */
export const handler = middy<DynamoDBStreamEvent | SQSEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(traced())
  .handler(async (event) => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records as SweepRecord[]) {
      const again = fromQueue(record);
      const storeId = again ? sweepAgainStoreId(record.body) : deletedStoreId(record);
      if (!storeId) {
        if (again) logger.error('a sweep-again message without a store id is dropped', { body: record.body });
        continue;
      }
      try {
        const deleted = again ? await storeSweep().sweep(storeId) : await storeSweep().storeDeleted(storeId);
        logger.info('identity store swept', { storeId, deleted, pass: again ? 'second' : 'first' });
      } catch (error) {
        logger.error('identity store sweep failed; its record is retried', { storeId, error });
        if (again) {
          failures.push({ itemIdentifier: record.messageId });
          continue;
        }
        // Stream batches retry from the first failure on, so the records after it need no report.
        failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        break;
      }
    }
    return { batchItemFailures: failures };
  });
