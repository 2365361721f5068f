import type { DomainEvent } from '../../shared/domain/events/event.ts';
import type { AttemptOutcome, DeliveryRecord } from '../../shared/domain/webhooks/delivery-record.ts';
import type { ClaimResult, DeliveryLog } from '../../shared/ports/delivery-log.ts';

/** The delivery log in memory, with the table adapter's semantics (newest event id first, claims). */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly records = new Map<string, DeliveryRecord>();

  private key = (storeId: string, webhookId: string, id: string) => `${storeId}/${webhookId}/${id}`;

  async open(storeId: string, webhookId: string, event: DomainEvent): Promise<void> {
    const key = this.key(storeId, webhookId, event.id);
    if (this.records.has(key)) return;
    this.records.set(key, {
      id: event.id,
      storeId,
      webhookId,
      eventType: event.type,
      event,
      status: 'pending',
      attempts: 0,
    });
  }

  async get(storeId: string, webhookId: string, id: string) {
    const record = this.records.get(this.key(storeId, webhookId, id));
    return record && structuredClone(record);
  }

  async list(storeId: string, webhookId: string, page: { limit: number; nextToken?: string }) {
    const all = [...this.records.values()]
      .filter((r) => r.storeId === storeId && r.webhookId === webhookId)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .filter((r) => page.nextToken === undefined || r.id < page.nextToken);
    const items = all.slice(0, page.limit);
    return all.length > page.limit ? { items, nextToken: items.at(-1)!.id } : { items };
  }

  async claim(
    storeId: string,
    webhookId: string,
    id: string,
    now: number,
    staleBefore: number,
  ): Promise<ClaimResult> {
    const record = this.records.get(this.key(storeId, webhookId, id));
    if (!record) return 'missing';
    if (record.inFlightSince !== undefined && record.inFlightSince >= staleBefore) return 'busy';
    record.inFlightSince = now;
    return 'claimed';
  }

  async finish(storeId: string, webhookId: string, id: string, outcome: AttemptOutcome): Promise<void> {
    const record = this.records.get(this.key(storeId, webhookId, id));
    if (!record) return;
    const { inFlightSince: _claim, lastStatusCode: _code, nextAttemptAt: _next, ...rest } = record;
    this.records.set(this.key(storeId, webhookId, id), {
      ...rest,
      status: outcome.status,
      attempts: record.attempts + 1,
      lastAttemptAt: outcome.at,
      ...(outcome.statusCode !== undefined ? { lastStatusCode: outcome.statusCode } : {}),
      ...(outcome.nextAttemptAt !== undefined ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
    });
  }
}
