import type { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { RerouteJob } from '../../domain/deliveries/reroute-code.ts';
import type { RerouteQueue } from '../../ports/reroute-queue.ts';
import { once } from '../once.ts';

/** SQS delays a message by at most 15 minutes; api.md bounds `deliveryDeadlineSeconds` to 5..900. */
export const MAX_DELAY_SECONDS = 900;

/**
 * Deployed reroute jobs: one message per job on the reroute delay queue, delayed until its deadline, which
 * the reroute worker reads (functions/reroutes/queue.ts). The message holds the job and nothing more: ids
 * of the store, challenge, gateway and provider message, and the reason; never a code or a phone number.
 */
export class SqsRerouteQueue implements RerouteQueue {
  private readonly client: () => Promise<SQSClient>;

  constructor(
    createClient: () => Promise<SQSClient>,
    private readonly queueUrl: string,
  ) {
    this.client = once(createClient);
  }

  async enqueue(job: RerouteJob, delayMs: number): Promise<void> {
    const client = await this.client();
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(jobOnly(job)),
        // Rounded up: a job never runs before its deadline.
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000))),
      }),
    );
  }
}

const rerouteJobSchema = z.object({
  storeId: z.string().check(z.minLength(1)),
  challengeId: z.string().check(z.minLength(1)),
  gatewayId: z.string().check(z.minLength(1)),
  providerMessageId: z.string().check(z.minLength(1)),
  reason: z.enum(['deadline', 'failed-receipt']),
});

/** The job a queue message holds, or undefined for a body that is not one (it is dropped, not retried). */
export function rerouteJobOf(body: string): RerouteJob | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = rerouteJobSchema.safeParse(parsed);
  return result.success ? jobOnly(result.data) : undefined;
}

/** The job's own fields: whatever else an object carries never goes on the queue. */
function jobOnly(job: RerouteJob): RerouteJob {
  const { storeId, challengeId, gatewayId, providerMessageId, reason } = job;
  return { storeId, challengeId, gatewayId, providerMessageId, reason };
}
