import type { DomainEvent } from '../../domain/events/event.ts';
import { LOCAL_RETRY_DELAYS_MS } from '../../domain/webhooks/webhook.ts';
import type { WebhookDelivery } from '../../domain/webhooks/webhook-delivery.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { sideEffectFailed } from '../../domain/side-effects.ts';

export type Scheduler = (delayMs: number) => Promise<void>;
export const realScheduler: Scheduler = (delayMs) => new Promise((ok) => setTimeout(ok, delayMs).unref());

/**
 * Local mode's stand-in for the deployed queue and delivery function: after an event is in
 * `events.jsonl`, each webhook that wants it gets it in-process, with retries 1, 2 and 4 s after a failed
 * attempt (api.md). Nothing here delays the HTTP answer that caused the event.
 */
export class LocalWebhookDispatcher {
  constructor(
    private readonly delivery: WebhookDelivery,
    private readonly telemetry: Telemetry,
    private readonly wait: Scheduler = realScheduler,
  ) {}

  /** A side path: a failure is logged and counted (`SideEffectFailed`, kind `webhook-dispatch`). */
  dispatch(event: DomainEvent): void {
    const storeId = typeof event.data.storeId === 'string' ? event.data.storeId : undefined;
    void this.run(event).catch((error: unknown) =>
      sideEffectFailed(this.telemetry, 'webhook-dispatch', error, { eventType: event.type, storeId }),
    );
  }

  private async run(event: DomainEvent): Promise<void> {
    const targets = await this.delivery.targets(event);
    await Promise.all(targets.map((webhook) => this.deliver(webhook.storeId, webhook.id, event)));
  }

  private async deliver(storeId: string, webhookId: string, event: DomainEvent): Promise<void> {
    for (let retry = 0; ; retry++) {
      const verdict = await this.delivery.attempt(storeId, webhookId, event);
      if (verdict !== 'retry') return;
      const delay = LOCAL_RETRY_DELAYS_MS[retry];
      if (delay === undefined) {
        this.telemetry.count('WebhookDeliveryAbandoned', { type: event.type });
        return;
      }
      await this.wait(delay);
    }
  }
}
