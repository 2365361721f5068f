import type { DomainEvent } from '../events/event.ts';
import type { EventType } from '../events/event-types.ts';
import type { AttemptResult } from './webhook-delivery.ts';

/** Deliveries are kept this long after their event (api.md "Support desk"). */
export const DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * An attempt claimed longer ago than this is taken as lost (its process died): past the attempt's own
 * timeout with room to spare, so a live attempt is never taken for a lost one.
 */
export const DELIVERY_CLAIM_MS = 60_000;

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'dead';

/** One (webhook, event) pair; `id` is the event's id, the `webhook-id` every attempt carries. */
export interface DeliveryRecord {
  id: string;
  storeId: string;
  webhookId: string;
  eventType: EventType;
  /** The event itself: a retry sends it again. */
  event: DomainEvent;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt?: string;
  lastStatusCode?: number;
  nextAttemptAt?: string;
  /** Set while an attempt runs (epoch ms of its claim). */
  inFlightSince?: number;
}

export interface DeliveryView {
  id: string;
  eventType: EventType;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt?: string;
  lastStatusCode?: number;
  nextAttemptAt?: string;
}

export const deliveryView = (record: DeliveryRecord): DeliveryView => ({
  id: record.id,
  eventType: record.eventType,
  status: record.status,
  attempts: record.attempts,
  ...(record.lastAttemptAt !== undefined ? { lastAttemptAt: record.lastAttemptAt } : {}),
  ...(record.lastStatusCode !== undefined ? { lastStatusCode: record.lastStatusCode } : {}),
  ...(record.nextAttemptAt !== undefined ? { nextAttemptAt: record.nextAttemptAt } : {}),
});

/** What an attempt that just finished leaves on its delivery. */
export interface AttemptOutcome {
  status: Exclude<DeliveryStatus, 'pending'>;
  at: string;
  statusCode?: number;
  nextAttemptAt?: string;
}

/**
 * api.md "Wave 3: exact rules": a 2xx succeeds; a failure with another automatic attempt scheduled is
 * `failed` until then; a 410 (or a webhook that no longer wants the event) or a failure with nothing
 * scheduled is `dead`.
 */
export function outcomeOf(result: AttemptResult, at: Date, nextAttemptAt: Date | undefined): AttemptOutcome {
  const base = {
    at: at.toISOString(),
    ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
  };
  if (result.verdict === 'delivered') return { ...base, status: 'succeeded' };
  if (result.verdict === 'retry' && nextAttemptAt)
    return { ...base, status: 'failed', nextAttemptAt: nextAttemptAt.toISOString() };
  return { ...base, status: 'dead' };
}

/**
 * A retry asked for by an admin is one more attempt: when it fails, the delivery stays `failed` only if
 * an automatic attempt is still scheduled after it.
 */
export function retryInMsOf(record: DeliveryRecord, now: Date): number | undefined {
  if (record.nextAttemptAt === undefined) return undefined;
  const left = Date.parse(record.nextAttemptAt) - now.getTime();
  return left > 0 ? left : undefined;
}
