import type { WebhookRecord } from '../domain/webhooks/webhook.ts';

export interface WebhookRepository {
  /** On condition that the store exists (else NotFound). */
  create(record: WebhookRecord): Promise<void>;
  get(storeId: string, webhookId: string): Promise<WebhookRecord | undefined>;
  listByStore(storeId: string): Promise<WebhookRecord[]>;
  /** False when there was no such webhook. */
  delete(storeId: string, webhookId: string): Promise<boolean>;
  /** Sets a new current secret and keeps the old one until `previousUntil`; undefined when unknown. */
  rotate(storeId: string, webhookId: string, secret: string, previousUntil: number): Promise<boolean>;
  disable(storeId: string, webhookId: string, at: string): Promise<void>;
}

/** One HTTP attempt of a webhook delivery; `status` undefined when no answer came (timeout, refused). */
export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number | undefined }>;
}
