import { httpHandler } from '../../shared/http/http-handler.ts';
import { retryWebhookDelivery } from '../../shared/operations/webhook-deliveries.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(retryWebhookDelivery, async ({ params }) => {
  const { webhookDeliveries } = await services();
  await webhookDeliveries.retry(params.storeId, params.webhookId, params.deliveryId);
  return { body: { id: params.deliveryId } };
});
