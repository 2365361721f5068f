/**
 * The event catalogue (api.md "Events and webhooks"): every type any part of the service may emit.
 * Fraud-guard (`send.*`), application and relay events are defined here too, so that the features that
 * emit them only call the event port.
 */
export const EVENT_VERSION = 1;

export const CHALLENGE_EVENT_TYPES = [
  'challenge.created',
  'code.sent',
  'code.delivery',
  'challenge.approved',
  'challenge.failed',
] as const;

export const FACTOR_EVENT_TYPES = [
  'factor.activated',
  'factor.replaced',
  'factor.removed',
  'factor.locked',
] as const;

export const SEND_GUARD_EVENT_TYPES = ['send.blocked', 'send.flagged'] as const;

/** Delivery failover and gateway health (issue 26): a reroute of a challenge's code, a gateway's breaker. */
export const DELIVERY_EVENT_TYPES = ['code.rerouted', 'gateway.opened', 'gateway.closed'] as const;

export const AUDIT_EVENT_TYPES = [
  'admin.gateway.created',
  'admin.gateway.updated',
  'admin.gateway.deleted',
  'admin.identity-store.created',
  'admin.identity-store.updated',
  'admin.identity-store.deleted',
  'admin.api-key.created',
  'admin.api-key.deleted',
  'admin.application.created',
  'admin.application.updated',
  'admin.application.deleted',
  'admin.webhook.created',
  'admin.webhook.deleted',
  'admin.webhook.rotated',
  // Identity-provider integrations: admin writes like the others (api.md "Audit is not a side path").
  'admin.integration.created',
  'admin.integration.updated',
  'admin.integration.deleted',
  'admin.integration.rotated',
  // An admin's retry of a webhook delivery (its claim of the next attempt is the write).
  'admin.webhook-delivery.retried',
  'admin.block.deleted',
  'admin.factor.reset',
  'admin.factor.unlocked',
] as const;

export const EVENT_TYPES = [
  ...CHALLENGE_EVENT_TYPES,
  ...FACTOR_EVENT_TYPES,
  ...SEND_GUARD_EVENT_TYPES,
  ...DELIVERY_EVENT_TYPES,
  ...AUDIT_EVENT_TYPES,
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType =>
  (EVENT_TYPES as readonly string[]).includes(value);

export type FailureReason =
  'invalid-code' | 'expired' | 'too-many-attempts' | 'gateway-error' | 'closed' | 'canceled';
export type DeliveryStatus = 'delivered' | 'failed' | 'undelivered';
/** `accepted`: the provider took the message; `refused`: it said no; `unknown`: no verdict (timeout, 5xx). */
export type SendAttemptOutcome = 'accepted' | 'refused' | 'unknown';

/** What every event's `data` may carry: ids, masked numbers, countries; never a code, number, key or password. */
export interface EventData {
  storeId?: string;
  [field: string]: unknown;
}
