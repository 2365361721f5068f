import type { DomainEvent } from '../domain/events/event.ts';
import type { AttemptOutcome, DeliveryRecord } from '../domain/webhooks/delivery-record.ts';

export type ClaimResult = 'claimed' | 'busy' | 'missing';

/** Where webhook deliveries are recorded (one item per webhook and event, kept 7 days). */
export interface DeliveryLog {
  /** Records a `pending` delivery unless one is already there (a redelivered queue message). */
  open(storeId: string, webhookId: string, event: DomainEvent, expiresAt: number): Promise<void>;
  get(storeId: string, webhookId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Newest event first. */
  list(
    storeId: string,
    webhookId: string,
    page: { limit: number; nextToken?: string },
  ): Promise<{ items: DeliveryRecord[]; nextToken?: string }>;
  /** Marks an attempt in flight, unless another one is (claimed after `staleBefore`, epoch ms). */
  claim(
    storeId: string,
    webhookId: string,
    deliveryId: string,
    now: number,
    staleBefore: number,
  ): Promise<ClaimResult>;
  /** Ends the attempt: `attempts` + 1 and its outcome; the claim is released. */
  finish(storeId: string, webhookId: string, deliveryId: string, outcome: AttemptOutcome): Promise<void>;
}
