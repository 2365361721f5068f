import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { rotateWebhookSecret } from '../../shared/operations/webhooks.ts';
import { webhooks } from '../../shared/runtime/wiring/webhooks.ts';

export const handler = adminHttpHandler(rotateWebhookSecret, async ({ params }) => {
  return { body: await webhooks().rotate(params.storeId, params.webhookId) };
});
