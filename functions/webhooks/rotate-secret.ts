import { httpHandler } from '../../shared/http/http-handler.ts';
import { rotateWebhookSecret } from '../../shared/operations/webhooks.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(rotateWebhookSecret, async ({ params }) => {
  const { webhooks } = await services();
  return { body: await webhooks.rotate(params.storeId, params.webhookId) };
});
