import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { retryWebhookDelivery } from '../../shared/operations/webhook-deliveries.ts';
import { deliveryRetries } from '../../shared/runtime/wiring/webhook-deliveries.ts';

export const handler = adminHttpHandler(retryWebhookDelivery, async ({ params }) => {
  await deliveryRetries().desk.retry(params.storeId, params.webhookId, params.deliveryId);
  return { body: { id: params.deliveryId } };
});
