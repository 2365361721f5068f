import type { Clock } from '../../ports/clock.ts';
import type { DeliveryLog } from '../../ports/delivery-log.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { DomainEvent } from '../events/event.ts';
import { sideEffectFailed } from '../side-effects.ts';
import { DELIVERY_CLAIM_MS, DELIVERY_RETENTION_MS, outcomeOf } from './delivery-record.ts';
import type { AttemptVerdict, WebhookRecord } from './webhook.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

/** When the caller tries again after a failed attempt: in `retryInMs`, or never (undefined). */
export interface AttemptPlan {
  retryInMs?: number;
  /** The claim was taken already (a retry asked for by an admin). */
  claimed?: boolean;
}

/**
 * Webhook attempts with their record (api.md "Support desk": deliveries). Recording is a side path: a
 * failure to record is reported and the attempt goes on; it never reaches the request that emitted
 * the event, which has already answered.
 */
export class DeliveryJournal {
  constructor(
    private readonly deps: {
      delivery: WebhookDelivery;
      log: DeliveryLog;
      clock: Clock;
      telemetry: Telemetry;
    },
  ) {}

  targets(event: DomainEvent): Promise<WebhookRecord[]> {
    return this.deps.delivery.targets(event);
  }

  async open(storeId: string, webhookId: string, event: DomainEvent): Promise<void> {
    const expiresAt = Date.parse(event.timestamp) + DELIVERY_RETENTION_MS;
    await this.recorded(event, () => this.deps.log.open(storeId, webhookId, event, expiresAt));
  }

  /**
   * One attempt. `busy` when another attempt of the delivery is in flight: the running one is recorded,
   * this one is not made.
   */
  async attempt(
    storeId: string,
    webhookId: string,
    event: DomainEvent,
    plan: AttemptPlan = {},
  ): Promise<AttemptVerdict | 'busy'> {
    const { log, clock, delivery } = this.deps;
    if (!plan.claimed) {
      const now = clock.now().getTime();
      const claim = await this.recorded(event, () =>
        log.claim(storeId, webhookId, event.id, now, now - DELIVERY_CLAIM_MS),
      );
      if (claim === 'busy') return 'busy';
    }
    const result = await delivery.attemptWithStatus(storeId, webhookId, event);
    const at = clock.now();
    const next = plan.retryInMs === undefined ? undefined : new Date(at.getTime() + plan.retryInMs);
    await this.recorded(event, () => log.finish(storeId, webhookId, event.id, outcomeOf(result, at, next)));
    return result.verdict;
  }

  private async recorded<T>(event: DomainEvent, write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      sideEffectFailed(this.deps.telemetry, 'webhook-dispatch', error, {
        eventType: event.type,
        ...(typeof event.data.storeId === 'string' ? { storeId: event.data.storeId } : {}),
      });
      return undefined;
    }
  }
}
