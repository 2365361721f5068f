import { standardWebhooks } from '../adapters/webhooks/standard-webhooks.ts';
import { WebhookHttp } from '../adapters/webhooks/webhook-http.ts';
import { WEBHOOK_ATTEMPT_TIMEOUT_MS } from '../domain/webhooks/webhook.ts';
import { registerWebhookTransport } from './container.ts';

/**
 * Imported (for this effect) by what delivers webhooks: the delivery function and local mode. Keeps the
 * guarded HTTP client (undici) and the signing library out of every other function's bundle.
 */
registerWebhookTransport(
  (outbound) => new WebhookHttp(WEBHOOK_ATTEMPT_TIMEOUT_MS, outbound),
  standardWebhooks,
);
