import type { DomainEvent } from '../../domain/events/event.ts';
import { LOCAL_RETRY_DELAYS_MS } from '../../domain/webhooks/webhook.ts';
import type { DeliveryJournal } from '../../domain/webhooks/delivery-journal.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { sideEffectFailed } from '../../domain/side-effects.ts';

export type Scheduler = (delayMs: number) => Promise<void>;
export const realScheduler: Scheduler = (delayMs) => new Promise((ok) => setTimeout(ok, delayMs).unref());

/**
 * Local mode's stand-in for the deployed queue and delivery function: after an event is in
 * `events.jsonl`, each webhook that wants it gets it in-process, with retries 1, 2 and 4 s after a failed
 * attempt (api.md); the delivery is recorded, and is `dead` when the 3rd retry fails. Nothing here
 * delays the HTTP answer that caused the event.
 */
export class LocalWebhookDispatcher {
  constructor(
    private readonly journal: DeliveryJournal,
    private readonly telemetry: Telemetry,
    private readonly wait: Scheduler = realScheduler,
  ) {}

  /** A side path: a failure is logged and counted (`SideEffectFailed`, kind `webhook-dispatch`). */
  dispatch(event: DomainEvent): void {
    void this.run(event).catch((error: unknown) => this.failed(event, error));
  }

  /** An admin's retry, already claimed: one attempt, started now, the answer does not wait for it. */
  retry(storeId: string, webhookId: string, event: DomainEvent, retryInMs: number | undefined): void {
    void this.journal
      .attempt(storeId, webhookId, event, {
        claimed: true,
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      })
      .catch((error: unknown) => this.failed(event, error));
  }

  private failed(event: DomainEvent, error: unknown): void {
    const storeId = typeof event.data.storeId === 'string' ? event.data.storeId : undefined;
    sideEffectFailed(this.telemetry, 'webhook-dispatch', error, { eventType: event.type, storeId });
  }

  private async run(event: DomainEvent): Promise<void> {
    const targets = await this.journal.targets(event);
    await Promise.all(targets.map((webhook) => this.deliver(webhook.storeId, webhook.id, event)));
  }

  private async deliver(storeId: string, webhookId: string, event: DomainEvent): Promise<void> {
    await this.journal.open(storeId, webhookId, event);
    for (let retry = 0; ; retry++) {
      const delay = LOCAL_RETRY_DELAYS_MS[retry];
      const verdict = await this.journal.attempt(
        storeId,
        webhookId,
        event,
        delay === undefined ? {} : { retryInMs: delay },
      );
      // `busy`: an admin's retry is in flight; it is recorded, and the schedule goes on after it.
      if (verdict !== 'retry' && verdict !== 'busy') return;
      if (delay === undefined) {
        this.telemetry.count('WebhookDeliveryAbandoned', { type: event.type });
        return;
      }
      await this.wait(delay);
    }
  }
}
