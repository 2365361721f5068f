import type { DeliveryStatus } from './send-record.ts';

/** A delivery receipt as it arrived, before anything about it is trusted. */
export interface ReceiptRequest {
  /** The full URL the provider called (its signatures cover it): the public base, path and query. */
  url: string;
  /** The exact bytes of the body (custom-http signs them). */
  rawBody: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body's fields, from a form or a JSON object; values as strings. */
  params: Readonly<Record<string, string>>;
}

/** What a verified receipt says; `status` null: an intermediate state (queued, sent...), nothing to record. */
export interface ParsedReceipt {
  messageId: string;
  status: DeliveryStatus | null;
  /** What the provider says the message cost, when it says so: the send's `reportedCost`. */
  price?: ReceiptPrice;
}

export interface ReceiptPrice {
  /** Millionths of `currency`. */
  amount: number;
  /** ISO 4217; absent: the store's own currency (custom-http's `price`). */
  currency?: string;
}

/** One provider's receipts: its signature and its fields. */
export interface ReceiptKind {
  /** Whether `secret` signed this request, and recently enough where the provider dates it. */
  verify(request: ReceiptRequest, secret: string, nowMs: number): boolean;
  /** The message and its status; undefined when the body names no message. */
  parse(request: ReceiptRequest): ParsedReceipt | undefined;
}

/** How far a dated signature may be from our clock (custom-http, Vonage's `timestamp`). */
export const RECEIPT_TOLERANCE_SECONDS = 300;

export function withinTolerance(timestampSeconds: string | undefined, nowMs: number): boolean {
  if (!timestampSeconds || !/^\d{1,12}$/.test(timestampSeconds)) return false;
  return Math.abs(nowMs / 1000 - Number(timestampSeconds)) <= RECEIPT_TOLERANCE_SECONDS;
}

/**
 * Receipts of a provider that signs nothing we could check (sinch, infobip, messagebird): they arrive
 * on the message's own receipt address, whose token is the proof; one request may carry several reports.
 */
export interface AddressedReceiptKind {
  /** Every report the request carries, each on its own; unreadable ones are left out. */
  parse(request: ReceiptRequest): ParsedReceipt[];
}
