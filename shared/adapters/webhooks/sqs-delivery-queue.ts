import { once } from '../once.ts';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryMessage, DeliveryQueue } from './queue-delivery.ts';

/** The webhook queue through the SQS API (the client is created on first use). */
export class SqsDeliveryQueue implements DeliveryQueue {
  private readonly client: () => Promise<SQSClient>;

  constructor(
    createClient: () => Promise<SQSClient>,
    private readonly queueUrl: string,
  ) {
    this.client = once(createClient);
  }

  async enqueue(messages: DeliveryMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const client = await this.client();
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, n) => ({ Id: String(n), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (result.Failed?.length) throw new Error(`${result.Failed.length} delivery messages were not queued`);
    }
  }

  async delay(receiptHandle: string, seconds: number): Promise<void> {
    const client = await this.client();
    const { ChangeMessageVisibilityCommand } = await import('@aws-sdk/client-sqs');
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }
}
