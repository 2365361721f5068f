import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { createWebhook } from '../../shared/operations/webhooks.ts';
import { webhooks } from '../../shared/runtime/wiring/webhooks.ts';

export const handler = adminHttpHandler(createWebhook, async ({ params, body }) => {
  const { id, url, eventTypes, secret, createdAt } = await webhooks().create(params.storeId, body);
  return { body: { id, url, eventTypes, secret, createdAt } };
});
