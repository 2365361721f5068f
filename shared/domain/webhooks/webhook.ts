import type { Random } from '../../ports/random.ts';
import type { DomainEvent } from '../events/event.ts';
import type { EventType } from '../events/event-types.ts';

export const WEBHOOK_ID_PREFIX = 'wh';
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** After `rotate-secret` the previous secret keeps signing for this long (api.md). */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** Standard Webhooks: each attempt gets this long to answer. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 15_000;
/** Local mode's retries: 1, 2 and 4 s after the failed attempt before them (api.md). */
export const LOCAL_RETRY_DELAYS_MS = [1000, 2000, 4000] as const;

export interface WebhookRecord {
  id: string;
  storeId: string;
  url: string;
  /** Empty: every type. */
  eventTypes: EventType[];
  /** `whsec_...`; `previous` also signs until `previousUntil` (epoch ms). */
  secret: string;
  previousSecret?: string;
  previousUntil?: number;
  createdAt: string;
  /** Set when the receiver answered 410: nothing is sent any more. */
  disabledAt?: string;
}

export type WebhookView = Pick<WebhookRecord, 'id' | 'url' | 'eventTypes' | 'createdAt'> & {
  disabled: boolean;
};

export const webhookView = (record: WebhookRecord): WebhookView => ({
  id: record.id,
  url: record.url,
  eventTypes: record.eventTypes,
  createdAt: record.createdAt,
  disabled: record.disabledAt !== undefined,
});

/** `whsec_` + base64 of 32 random bytes (api.md). */
export const newWebhookSecret = (random: Random) =>
  `${WEBHOOK_SECRET_PREFIX}${random.bytes(32).toString('base64')}`;

/** The secrets that sign an attempt made at `now`: the current one, and the previous during its overlap. */
export function signingSecrets(record: WebhookRecord, now: number): string[] {
  const previous =
    record.previousSecret && record.previousUntil !== undefined && record.previousUntil > now
      ? [record.previousSecret]
      : [];
  return [record.secret, ...previous];
}

/** A webhook receives only its own store's events, of the types it asked for, while not disabled. */
export function wants(record: WebhookRecord, event: DomainEvent): boolean {
  return (
    record.disabledAt === undefined &&
    event.data.storeId === record.storeId &&
    (record.eventTypes.length === 0 || record.eventTypes.includes(event.type))
  );
}

/** What one attempt's answer means: done, try again later, or stop for good (410 disables). */
export type AttemptVerdict = 'delivered' | 'retry' | 'gone';

/** Standard Webhooks: any 2xx is success; everything else (3xx included) and no answer is a failure. */
export function verdictOf(status: number | undefined): AttemptVerdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'retry';
}

/**
 * Deployed backoff before retry `n` (1-based): one minute doubling, capped at SQS's 12 hours of
 * visibility. With DEPLOYED_MAX_ATTEMPTS attempts the retries span more than 24 hours.
 */
export function deployedBackoffSeconds(retry: number): number {
  return Math.min(60 * 2 ** (retry - 1), 12 * 60 * 60);
}
export const DEPLOYED_MAX_ATTEMPTS = 13;
