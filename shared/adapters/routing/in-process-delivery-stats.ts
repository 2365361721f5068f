import type { Clock } from '../../ports/clock.ts';
import type { DeliveryStats, DeliveryStatsQuery, DeliveryStatsSnapshot } from '../../ports/delivery-stats.ts';
import type { DomainEvent, EventPublisher } from '../../ports/events.ts';
import { hourOf, snapshotOf, type Count, type CountRow } from '../../domain/routing/delivery-counts.ts';
import { deliveryFactOf, type AcceptedMessage } from '../../domain/routing/delivery-facts.ts';
import { ROUTING_BOUNDS } from '../../domain/identity-stores/routing-settings.ts';

/** Accepted messages are remembered this long for their receipts and approvals (receipts come late). */
const MESSAGE_MEMORY_MS = 7 * 24 * 3_600_000;

/**
 * Local mode's delivery statistics: counted in-process from the service's own events as they are
 * emitted, so each answer's counts are visible before the next request. Rows older than the longest
 * window are dropped.
 */
export class InProcessDeliveryStats implements DeliveryStats {
  private readonly rows = new Map<string, Map<string, CountRow>>();
  private readonly messages = new Map<string, AcceptedMessage[]>();
  private prunedHour = 0;

  constructor(private readonly clock: Clock) {}

  /** A publisher that counts each event before handing it on. */
  feeding(inner: EventPublisher): EventPublisher {
    return {
      publish: async (event) => {
        this.observe(event);
        await inner.publish(event);
      },
    };
  }

  observe(event: DomainEvent): void {
    const fact = deliveryFactOf(event);
    if (!fact) return;
    if (fact.kind === 'accepted') {
      const { message } = fact;
      this.messages.set(message.challengeId, [...(this.messages.get(message.challengeId) ?? []), message]);
      this.add(message, 'accepted');
      this.forgetOld();
      return;
    }
    const sends = this.messages.get(fact.challengeId) ?? [];
    const message =
      fact.kind === 'receipt'
        ? sends.find((send) => send.providerMessageId === fact.providerMessageId)
        : sends.find((send) => send.codeExpiresAt === fact.codeExpiresAt);
    if (message) this.add(message, fact.kind === 'receipt' ? fact.count : 'approved');
  }

  async snapshot(storeId: string, query: DeliveryStatsQuery): Promise<DeliveryStatsSnapshot> {
    return snapshotOf(this.rows.get(storeId)?.values() ?? [], query);
  }

  private add(message: AcceptedMessage, count: Count): void {
    const rows = this.rows.get(message.storeId) ?? new Map<string, CountRow>();
    this.rows.set(message.storeId, rows);
    const key = `${message.hour}#${message.country}#${message.gatewayId}#${message.purpose}`;
    const row = rows.get(key) ?? {
      hour: message.hour,
      country: message.country,
      gatewayId: message.gatewayId,
      purpose: message.purpose,
      accepted: 0,
      delivered: 0,
      failed: 0,
      approved: 0,
    };
    row[count] += 1;
    rows.set(key, row);
  }

  private forgetOld(): void {
    const now = this.clock.now().getTime();
    // Once an hour is enough: rows are hourly.
    if (hourOf(now) === this.prunedHour) return;
    this.prunedHour = hourOf(now);
    const oldestHour = hourOf(now) - ROUTING_BOUNDS.windowHours.max;
    for (const rows of this.rows.values()) {
      for (const [key, row] of rows) if (row.hour < oldestHour) rows.delete(key);
    }
    const oldestMessageHour = hourOf(now - MESSAGE_MEMORY_MS);
    for (const [challengeId, sends] of this.messages) {
      if (sends.every((send) => send.hour < oldestMessageHour)) this.messages.delete(challengeId);
    }
  }
}
