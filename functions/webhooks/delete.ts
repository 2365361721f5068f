import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteWebhook } from '../../shared/operations/webhooks.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(deleteWebhook, async ({ params }) => {
  const { webhooks } = await services();
  await webhooks.delete(params.storeId, params.webhookId);
});
