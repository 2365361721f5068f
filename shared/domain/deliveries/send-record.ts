import type { DeliveryStatus, SendAttemptOutcome } from '../events/event-types.ts';
import type { Route } from '../sending/route-choice.ts';

export type { DeliveryStatus } from '../events/event-types.ts';

/** What a delivery receipt can say in the end; every one of them is final. */
export const DELIVERY_STATUSES = ['delivered', 'failed', 'undelivered'] as const satisfies DeliveryStatus[];

/** How long the sends of a challenge and their receipt pointers are kept: receipts can come a day late. */
export const SEND_RECORD_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * What each send record keeps of its challenge: the history shows it once the challenge's own item is
 * gone (that item lives an hour past its last code, its sends a week), so it never holds the number.
 */
export interface ChallengeSummary {
  purpose: string;
  userId?: string;
  maskedPhone: string;
  test: boolean;
}

/** How a challenge ended, kept beside its sends for as long as they are (an expiry needs no record). */
export interface ChallengeEnd {
  status: 'approved' | 'failed' | 'closed';
  /** ISO time of the ending. */
  at: string;
  attempts?: number;
}

/** One provider attempt of a challenge's code, as the challenge history shows it. */
export interface SendRecord {
  /** ISO time of the provider's answer. */
  at: string;
  /** The attempt's number within its send (1 for the first provider request, 2 for a fallback...). */
  attempt: number;
  gatewayId: string;
  gatewayType: string;
  /** Null when the provider never named the message (a refusal, a timeout). */
  providerMessageId: string | null;
  outcome: SendAttemptOutcome;
  /** A call, or an SMS; records written before calls existed have none and read as `sms`. */
  channel?: 'sms' | 'voice';
  deliveryStatus?: DeliveryStatus;
  deliveredAt?: string;
  /** Why this gateway carried it (absent on sends recorded before routing). */
  route?: Route;
  /**
   * The expiry (ISO) of the code the message carried: an approval names its code's expiry, which credits
   * the gateway of this send (delivery statistics). Kept off the history's answer.
   */
  codeExpiresAt?: string;
  /** The number's ISO country, for the delivery statistics the table's stream counts. Kept off the answer. */
  country?: string;
}

/**
 * What the usage ledger needs of a send beyond its record (kept beside it as `usage`, never shown in
 * the history): deployed, the table's stream turns the item into the ledger's counts.
 */
export interface SendUsage {
  country?: string;
  /** Millionths of the store's currency. */
  estimatedCost: number;
  channel: 'sms' | 'voice';
}

/**
 * The receipt's way back to its send: the send's place beside the challenge and the fields of the
 * `code.delivery` event (the masked number and its country, never the number).
 */
export interface MessageRef {
  storeId: string;
  challengeId: string;
  /** Which send record of the challenge (its `at` and `attempt`). */
  sentAt: string;
  attempt: number;
  gatewayId: string;
  gatewayType: string;
  providerMessageId: string;
  userId?: string;
  purpose: string;
  maskedPhone: string;
  country?: string;
}
