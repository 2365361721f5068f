import { httpHandler } from '../../shared/http/http-handler.ts';
import { retryWebhookDelivery } from '../../shared/operations/webhook-deliveries.ts';
import { webhookDeliveries } from '../../shared/runtime/wiring/webhook-deliveries.ts';

export const handler = httpHandler(retryWebhookDelivery, async ({ params }) => {
  await webhookDeliveries().desk.retry(params.storeId, params.webhookId, params.deliveryId);
  return { body: { id: params.deliveryId } };
});
