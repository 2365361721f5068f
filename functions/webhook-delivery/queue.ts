import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deliverRecords } from '../../shared/adapters/webhooks/queue-delivery.ts';
import { SqsDeliveryQueue } from '../../shared/adapters/webhooks/sqs-delivery-queue.ts';
import { deliveryJournal } from '../../shared/runtime/wiring/webhook-delivery.ts';
// The tracer's construction traces this function's outgoing HTTPS calls (X-Ray subsegments), as it
// did when every module that logged loaded it: kept here, where no handler subsegment is recorded.
import '../../shared/observability/tracer.ts';

let queue: SqsDeliveryQueue | undefined;

/** The webhook queue's consumer (cdk/constructs/event-delivery.ts): fan-out, attempts and backoff. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const queueUrl = process.env.WEBHOOK_QUEUE_URL;
  if (!queueUrl) throw new Error('WEBHOOK_QUEUE_URL is required');
  queue ??= new SqsDeliveryQueue(
    async () => new (await import('@aws-sdk/client-sqs')).SQSClient({}),
    queueUrl,
  );
  const failed = await deliverRecords(event.Records, deliveryJournal(), queue);
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
