import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listWebhooks } from '../../shared/operations/webhooks.ts';
import { webhooks } from '../../shared/runtime/wiring/webhooks.ts';

export const handler = adminHttpHandler(listWebhooks, async ({ params }) => {
  return { body: { items: await webhooks().list(params.storeId) } };
});
