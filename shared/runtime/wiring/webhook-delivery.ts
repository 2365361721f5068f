import { standardWebhooks } from '../../adapters/webhooks/standard-webhooks.ts';
import { WebhookHttp } from '../../adapters/webhooks/webhook-http.ts';
import { WEBHOOK_ATTEMPT_TIMEOUT_MS } from '../../domain/webhooks/webhook.ts';
import { feature, type WebhookSending } from '../context.ts';
import { webhookAttempts } from './webhook-attempts.ts';
import { deliveriesThrough } from './webhook-deliveries.ts';

/**
 * Webhook attempts over HTTP, signed by the Standard Webhooks library: the guarded HTTP client (undici)
 * and the library come only with this module (the delivery function; local mode hands it in).
 */
export const webhookSending: WebhookSending = {
  transport: (outbound) => new WebhookHttp(WEBHOOK_ATTEMPT_TIMEOUT_MS, outbound),
  signer: standardWebhooks,
};

/** One attempt of one event to one webhook: the deployed delivery function's work. */
export const webhookDelivery = /* @__PURE__ */ feature('webhook delivery', (ctx) =>
  webhookAttempts(ctx, webhookSending),
);

/** The delivery function's attempts, each recorded (status, attempts, next attempt) for the deliveries route. */
export const deliveryJournal = /* @__PURE__ */ feature(
  'delivery journal',
  (ctx) => deliveriesThrough(ctx, webhookDelivery(ctx)).journal,
);
