import { httpHandler } from '../../shared/http/http-handler.ts';
import { createWebhook } from '../../shared/operations/webhooks.ts';
import { webhooks } from '../../shared/runtime/wiring/webhooks.ts';

export const handler = httpHandler(createWebhook, async ({ params, body }) => {
  const { id, url, eventTypes, secret, createdAt } = await webhooks().create(params.storeId, body);
  return { body: { id, url, eventTypes, secret, createdAt } };
});
