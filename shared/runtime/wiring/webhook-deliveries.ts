import { JsonlEventFile } from '../../adapters/events/jsonl-event-file.ts';
import { realScheduler } from '../../adapters/webhooks/local-webhook-dispatcher.ts';
import type { WebhookDelivery } from '../../domain/webhooks/webhook-delivery.ts';
import type { DomainEvent, EventPublisher } from '../../ports/events.ts';
import { feature, type Context } from '../context.ts';
import { deliveriesWiring } from '../deliveries-wiring.ts';
import { audited } from './event-publishing.ts';
import { webhookAttempts } from './webhook-attempts.ts';

/** Recorded deliveries of the attempts given: the journal that records them, the desk (list, retry). */
export function deliveriesThrough(ctx: Context, attempts: WebhookDelivery) {
  return deliveriesWiring({
    documents: ctx.documents(),
    sideDocuments: ctx.sidePathDocuments(),
    tableName: ctx.config.tableName,
    delivery: attempts,
    clock: ctx.clock,
    telemetry: ctx.telemetry,
    scheduler: ctx.parts.webhookScheduler ?? realScheduler,
    queueUrl: process.env.WEBHOOK_QUEUE_URL,
    localMode: ctx.config.localMode,
  });
}

/**
 * Webhook deliveries (issue 28): the list and retry routes' desk, and locally the in-process dispatcher
 * that the events file hands each event to (through the webhook sending local mode is given).
 */
export const webhookDeliveries = /* @__PURE__ */ feature('webhook deliveries', (ctx) =>
  deliveriesThrough(ctx, webhookAttempts(ctx, ctx.parts.webhookSending)),
);

/**
 * The retry route's: an admin write, audited (its claim carries the audit record, then its event is
 * published). A feature of its own, so that the event log is built after the deliveries it may feed
 * locally (the events file hands events to their dispatcher).
 */
export const deliveryRetries = /* @__PURE__ */ feature('webhook delivery retries', (ctx) =>
  audited(ctx, webhookDeliveries(ctx)),
);

/**
 * Local mode's part `eventsFile` (strategy `eventPublishing: 'events-file'`): each event into
 * `events.jsonl`, then to the in-process webhook dispatcher. Deployed, events go to the bus.
 */
export function eventsFilePublisher(ctx: Context): EventPublisher {
  const { dispatcher } = webhookDeliveries(ctx);
  return new JsonlEventFile(ctx.config.eventsFile, (event: DomainEvent) => dispatcher.dispatch(event));
}
