import type { Clock } from '../../ports/clock.ts';
import type { DomainEvent, EventPublisher } from '../../ports/events.ts';
import type { RerouteQueue } from '../../ports/reroute-queue.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { deliveryDeadlineSeconds, type RerouteJob } from './reroute-code.ts';

/**
 * Starts each accepted message's delivery deadline from its `code.sent` event (the deadline counts from
 * the provider's acceptance): with the store's `routing.deliveryDeadlineSeconds` set, a deadline job is
 * queued. The store is the cached one the send read; the job itself decides (reroute-code.ts). A side
 * path: a job that cannot be queued is logged and counted (`RerouteJobFailed`), never thrown.
 */
export class DeliveryDeadlines implements EventPublisher {
  constructor(
    private readonly inner: EventPublisher,
    private readonly deps: {
      stores: { get(id: string): Promise<IdentityStore | undefined> };
      queue: RerouteQueue;
      failoverAllowed: boolean;
      clock: Clock;
      telemetry: Telemetry;
    },
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    await Promise.all([this.inner.publish(event), this.watch(event)]);
  }

  private async watch(event: DomainEvent): Promise<void> {
    const job = deadlineJobOf(event);
    if (!job) return;
    try {
      const store = await this.deps.stores.get(job.storeId);
      const seconds = store && deliveryDeadlineSeconds(store, this.deps.failoverAllowed);
      if (!seconds) return;
      const due = Date.parse(event.timestamp) + seconds * 1000;
      await this.deps.queue.enqueue(job, Math.max(0, due - this.deps.clock.now().getTime()));
    } catch (error) {
      // Never the error's message: it may echo a value.
      this.deps.telemetry.count('RerouteJobFailed', {});
      this.deps.telemetry.warn('reroute job not queued', {
        storeId: job.storeId,
        challengeId: job.challengeId,
        error: (error as Error).name,
      });
    }
  }
}

/**
 * An accepted message of a challenge (not a test number's, not a verify-phone's: those wait for receipts).
 * Never a call: calls report no delivery, and a second call is a second charge (api.md "Voice calls").
 */
function deadlineJobOf(event: DomainEvent): RerouteJob | undefined {
  if (event.type !== 'code.sent') return undefined;
  const data = event.data as Record<string, unknown>;
  const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : undefined);
  const [storeId, challengeId, gatewayId, providerMessageId] = [
    text('storeId'),
    text('challengeId'),
    text('gatewayId'),
    text('providerMessageId'),
  ];
  if (!storeId || !challengeId || !gatewayId || !providerMessageId) return undefined;
  if (data.outcome !== 'accepted' || data.test === true || data.purpose === 'verify-phone') return undefined;
  if (data.channel === 'voice') return undefined;
  return { storeId, challengeId, gatewayId, providerMessageId, reason: 'deadline' };
}
