import type { DomainEvent } from '../../domain/events/event.ts';
import { DEPLOYED_MAX_ATTEMPTS, deployedBackoffSeconds } from '../../domain/webhooks/webhook.ts';
import type { DeliveryJournal } from '../../domain/webhooks/delivery-journal.ts';

/** A record of the webhook queue, as the SQS event source hands it over. */
export interface QueueRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string };
}

/** One webhook's delivery of one event: a message of its own, so each is retried on its own schedule. */
export interface DeliveryMessage {
  kind: 'webhook-delivery';
  storeId: string;
  webhookId: string;
  event: DomainEvent;
  /**
   * An admin's retry (claimed by the retry route): one attempt, not retried by the queue; a failure
   * leaves it `failed` only while an automatic attempt is still due `retryInMs` after it.
   */
  retry?: { retryInMs?: number };
}

/** What the queue adapter needs of SQS. */
export interface DeliveryQueue {
  enqueue(messages: DeliveryMessage[]): Promise<void>;
  /** The message comes back after `seconds`: the backoff before its next attempt. */
  delay(receiptHandle: string, seconds: number): Promise<void>;
}

/**
 * Deployed webhook delivery (the queue's consumer). A rule on the bus puts each event of a store on the
 * queue; its first receipt fans out into one message per webhook that wants it. Each delivery message
 * is one attempt; a failed one is handed back with its visibility set to the backoff, so SQS redelivers
 * it then, until its receive count reaches the queue's maximum and SQS moves it to the dead-letter queue.
 * Returns the ids of the records to retry (SQS partial batch response).
 */
export async function deliverRecords(
  records: readonly QueueRecord[],
  delivery: DeliveryJournal,
  queue: DeliveryQueue,
): Promise<string[]> {
  const failed: string[] = [];
  for (const record of records) {
    try {
      const message = JSON.parse(record.body) as Partial<DeliveryMessage> & { detail?: DomainEvent };
      if (message.kind === 'webhook-delivery' && message.event && message.storeId && message.webhookId) {
        if (message.retry) {
          await delivery.attempt(message.storeId, message.webhookId, message.event, {
            claimed: true,
            ...message.retry,
          });
          continue;
        }
        // The receive that fails for the last time goes to the dead-letter queue: it is recorded `dead`.
        const retryInMs =
          receives(record) < DEPLOYED_MAX_ATTEMPTS
            ? deployedBackoffSeconds(receives(record)) * 1000
            : undefined;
        const verdict = await delivery.attempt(
          message.storeId,
          message.webhookId,
          message.event,
          retryInMs === undefined ? {} : { retryInMs },
        );
        if (verdict === 'retry' || verdict === 'busy') {
          await queue.delay(record.receiptHandle, deployedBackoffSeconds(receives(record)));
          failed.push(record.messageId);
        }
        continue;
      }
      // An EventBridge envelope: `detail` is the event line.
      const event = message.detail;
      if (!event?.id || !event.type) continue;
      const targets = await delivery.targets(event);
      for (const webhook of targets) await delivery.open(webhook.storeId, webhook.id, event);
      await queue.enqueue(
        targets.map((webhook) => ({
          kind: 'webhook-delivery',
          storeId: webhook.storeId,
          webhookId: webhook.id,
          event,
        })),
      );
    } catch {
      failed.push(record.messageId);
    }
  }
  return failed;
}

const receives = (record: QueueRecord) => Math.max(Number(record.attributes.ApproximateReceiveCount) || 1, 1);
