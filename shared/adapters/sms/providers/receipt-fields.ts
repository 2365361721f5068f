import { createHash, timingSafeEqual } from 'node:crypto';
import type { DeliveryStatus } from '../../../domain/deliveries/send-record.ts';

/**
 * The providers' words for the end of a message, in one vocabulary (Twilio's MessageStatus, Vonage's
 * DLR status, Plivo's Status): a message that expired undelivered is undelivered; one refused by the
 * carrier or the provider failed. Any other word (queued, sent, accepted, buffered...) is on the way.
 */
const FINAL_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  delivered: 'delivered',
  undelivered: 'undelivered',
  expired: 'undelivered',
  failed: 'failed',
  rejected: 'failed',
};

export function finalStatus(word: string | undefined): DeliveryStatus | null {
  return FINAL_STATUSES[(word ?? '').toLowerCase()] ?? null;
}

/** Compares a presented signature with the expected one in constant time, whatever its length. */
export function sameSignature(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Sorted by name (then value), as the providers that sign parameters sort them. */
export function sortedEntries(params: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(params).sort(([a, x], [b, y]) =>
    a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0,
  );
}

/** The body as JSON, or undefined when it is not JSON. */
export function jsonBody(rawBody: string): unknown {
  try {
    return rawBody ? JSON.parse(rawBody) : undefined;
  } catch {
    return undefined;
  }
}
