import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SweepAgain } from '../../ports/store-items.ts';
import { once } from '../once.ts';

/**
 * Deployed: a delayed message on the sweep-again queue, which the sweeper function also consumes
 * (cdk/constructs/store-sweep.ts). SQS delays a message by at most 15 minutes.
 */
export class SqsSweepAgain implements SweepAgain {
  private readonly client: () => Promise<SQSClient>;

  constructor(
    createClient: () => Promise<SQSClient>,
    private readonly queueUrl: string,
  ) {
    this.client = once(createClient);
  }

  async schedule(storeId: string, afterSeconds: number): Promise<void> {
    const client = await this.client();
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ storeId }),
        DelaySeconds: Math.min(afterSeconds, 900),
      }),
    );
  }
}

/** The store id of a sweep-again message, or undefined for a body that is not one. */
export function sweepAgainStoreId(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { storeId?: unknown };
    return typeof parsed.storeId === 'string' && parsed.storeId !== '' ? parsed.storeId : undefined;
  } catch {
    return undefined;
  }
}
