import { httpHandler } from '../../shared/http/http-handler.ts';
import { listWebhookDeliveries } from '../../shared/operations/webhook-deliveries.ts';
import { webhookDeliveries } from '../../shared/runtime/wiring/webhook-deliveries.ts';

export const handler = httpHandler(listWebhookDeliveries, async ({ params, query }) => ({
  body: await webhookDeliveries().desk.list(params.storeId, params.webhookId, query),
}));
