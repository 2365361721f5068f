import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WebhookDeliveryTable } from '../adapters/dynamodb/webhook-delivery-table.ts';
import { WebhookTable } from '../adapters/dynamodb/webhook-table.ts';
import { LocalWebhookDispatcher, type Scheduler } from '../adapters/webhooks/local-webhook-dispatcher.ts';
import { SqsDeliveryQueue } from '../adapters/webhooks/sqs-delivery-queue.ts';
import { DeliveryDesk, type RetryLauncher } from '../domain/webhooks/delivery-desk.ts';
import { DeliveryJournal } from '../domain/webhooks/delivery-journal.ts';
import { retryInMsOf } from '../domain/webhooks/delivery-record.ts';
import type { WebhookDelivery } from '../domain/webhooks/webhook-delivery.ts';
import type { Clock } from '../ports/clock.ts';
import type { Telemetry } from '../ports/telemetry.ts';

/**
 * Webhook deliveries recorded and retried (issue 28). `sideDocuments` is the client of the delivery
 * side path (never the request's); `queueUrl` is the webhook queue deployed, absent locally.
 */
export function deliveriesWiring(deps: {
  documents: DynamoDBDocumentClient;
  sideDocuments: DynamoDBDocumentClient;
  tableName: string;
  delivery: WebhookDelivery;
  clock: Clock;
  telemetry: Telemetry;
  scheduler: Scheduler;
  queueUrl: string | undefined;
  localMode: boolean;
}) {
  const { documents, sideDocuments, tableName, clock, telemetry } = deps;
  const journal = new DeliveryJournal({
    delivery: deps.delivery,
    log: new WebhookDeliveryTable(sideDocuments, tableName),
    clock,
    telemetry,
  });
  const dispatcher = new LocalWebhookDispatcher(journal, telemetry, deps.scheduler);
  const launch: RetryLauncher = deps.localMode ? inProcess(dispatcher, clock) : queued(deps.queueUrl, clock);
  const desk = new DeliveryDesk({
    webhooks: new WebhookTable(documents, tableName),
    log: new WebhookDeliveryTable(documents, tableName),
    clock,
    launch,
  });
  return { journal, dispatcher, desk };
}

/** Locally the attempt starts before the route answers. */
const inProcess =
  (dispatcher: LocalWebhookDispatcher, clock: Clock): RetryLauncher =>
  async (record) =>
    dispatcher.retry(record.storeId, record.webhookId, record.event, retryInMsOf(record, clock.now()));

/** Deployed the event goes back on the webhook queue, marked as an admin's retry. */
function queued(queueUrl: string | undefined, clock: Clock): RetryLauncher {
  if (!queueUrl)
    return async () => {
      throw new Error('WEBHOOK_QUEUE_URL is required to retry a webhook delivery deployed');
    };
  const queue = new SqsDeliveryQueue(
    async () => new (await import('@aws-sdk/client-sqs')).SQSClient({}),
    queueUrl,
  );
  return async (record) => {
    const retryInMs = retryInMsOf(record, clock.now());
    await queue.enqueue([
      {
        kind: 'webhook-delivery',
        storeId: record.storeId,
        webhookId: record.webhookId,
        event: record.event,
        retry: retryInMs === undefined ? {} : { retryInMs },
      },
    ]);
  };
}
