import type { Clock } from '../../ports/clock.ts';
import type { DeliveryLog } from '../../ports/delivery-log.ts';
import type { WebhookRepository } from '../../ports/webhook-repository.ts';
import { Conflict, NotFound } from '../errors.ts';
import {
  DELIVERY_CLAIM_MS,
  deliveryView,
  type DeliveryRecord,
  type DeliveryView,
} from './delivery-record.ts';

/**
 * How a retry's attempt gets made once it is claimed: locally it starts in-process before the answer;
 * deployed the event goes back on the webhook queue.
 */
export type RetryLauncher = (record: DeliveryRecord) => Promise<void>;

/** The support desk's view of a webhook's deliveries, and its Retry button (api.md "Support desk"). */
export class DeliveryDesk {
  constructor(
    private readonly deps: {
      webhooks: Pick<WebhookRepository, 'get'>;
      log: DeliveryLog;
      clock: Clock;
      launch: RetryLauncher;
    },
  ) {}

  async list(
    storeId: string,
    webhookId: string,
    page: { limit: number; nextToken?: string },
  ): Promise<{ items: DeliveryView[]; nextToken?: string }> {
    await this.webhookOf(storeId, webhookId);
    const { items, nextToken } = await this.deps.log.list(storeId, webhookId, page);
    return { items: items.map(deliveryView), ...(nextToken ? { nextToken } : {}) };
  }

  /** One more attempt now; `409` while one is in flight, `404` for a delivery of another webhook or store. */
  async retry(storeId: string, webhookId: string, deliveryId: string): Promise<void> {
    await this.webhookOf(storeId, webhookId);
    const record = await this.deps.log.get(storeId, webhookId, deliveryId);
    if (!record) throw new NotFound('The delivery');
    const now = this.deps.clock.now().getTime();
    const claim = await this.deps.log.claim(storeId, webhookId, deliveryId, now, now - DELIVERY_CLAIM_MS);
    if (claim === 'missing') throw new NotFound('The delivery');
    if (claim === 'busy') throw new Conflict('An attempt of this delivery is in flight; retry when it ends.');
    await this.deps.launch(record);
  }

  private async webhookOf(storeId: string, webhookId: string) {
    const webhook = await this.deps.webhooks.get(storeId, webhookId);
    if (!webhook) throw new NotFound('The webhook');
    return webhook;
  }
}
