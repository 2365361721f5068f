import type { Clock } from '../../ports/clock.ts';
import type { StandardWebhooks } from '../../ports/standard-webhooks.ts';
import type { WebhookRepository, WebhookTransport } from '../../ports/webhook-repository.ts';
import { webhookPayload, type DomainEvent } from '../events/event.ts';
import { webhookHeaders } from './signing.ts';
import { signingSecrets, verdictOf, wants, type AttemptVerdict, type WebhookRecord } from './webhook.ts';

/**
 * One delivery attempt of one event to one webhook, as Standard Webhooks has it: `webhook-id` is the
 * event's id (the same on every retry), each attempt is timestamped and signed again with every secret
 * that signs at that moment, and a 410 disables the webhook. Retrying is the caller's: the in-process
 * dispatcher locally, the queue deployed.
 */
export class WebhookDelivery {
  constructor(
    private readonly deps: {
      webhooks: WebhookRepository;
      transport: WebhookTransport;
      signer: StandardWebhooks;
      clock: Clock;
    },
  ) {}

  /** The store's webhooks that want the event. */
  async targets(event: DomainEvent): Promise<WebhookRecord[]> {
    const storeId = event.data.storeId;
    if (!storeId) return [];
    return (await this.deps.webhooks.listByStore(storeId)).filter((webhook) => wants(webhook, event));
  }

  /** Reads the webhook again (it may have been deleted, disabled or rotated since) and attempts once. */
  async attempt(storeId: string, webhookId: string, event: DomainEvent): Promise<AttemptVerdict> {
    return (await this.attemptWithStatus(storeId, webhookId, event)).verdict;
  }

  /** As `attempt`, with the receiver's status code (none when nothing was sent or no answer came). */
  async attemptWithStatus(storeId: string, webhookId: string, event: DomainEvent): Promise<AttemptResult> {
    const webhook = await this.deps.webhooks.get(storeId, webhookId);
    if (!webhook || !wants(webhook, event)) return { verdict: 'gone' };
    const body = JSON.stringify(webhookPayload(event));
    const now = this.deps.clock.now().getTime();
    const headers = {
      'content-type': 'application/json',
      ...webhookHeaders(
        this.deps.signer,
        signingSecrets(webhook, now),
        event.id,
        Math.floor(now / 1000),
        body,
      ),
    };
    const { status } = await this.deps.transport.post(webhook.url, headers, body);
    const verdict = verdictOf(status);
    if (verdict === 'gone') await this.deps.webhooks.disable(storeId, webhookId, new Date(now).toISOString());
    return status === undefined ? { verdict } : { verdict, statusCode: status };
  }
}

export interface AttemptResult {
  verdict: AttemptVerdict;
  statusCode?: number;
}
