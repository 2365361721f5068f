import { httpHandler } from '../../shared/http/http-handler.ts';
import { listWebhookDeliveries } from '../../shared/operations/webhook-deliveries.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listWebhookDeliveries, async ({ params, query }) => {
  const { webhookDeliveries } = await services();
  return { body: await webhookDeliveries.list(params.storeId, params.webhookId, query) };
});
