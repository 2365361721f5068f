import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listWebhookDeliveries } from '../../shared/operations/webhook-deliveries.ts';
import { webhookDeliveries } from '../../shared/runtime/wiring/webhook-deliveries.ts';

export const handler = adminHttpHandler(listWebhookDeliveries, async ({ params, query }) => ({
  body: await webhookDeliveries().desk.list(params.storeId, params.webhookId, query),
}));
