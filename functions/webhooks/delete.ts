import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { deleteWebhook } from '../../shared/operations/webhooks.ts';
import { webhooks } from '../../shared/runtime/wiring/webhooks.ts';

export const handler = adminHttpHandler(deleteWebhook, async ({ params }) => {
  await webhooks().delete(params.storeId, params.webhookId);
});
