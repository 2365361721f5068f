import { httpHandler } from '../../shared/http/http-handler.ts';
import { createWebhook } from '../../shared/operations/webhooks.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(createWebhook, async ({ params, body }) => {
  const { webhooks } = await services();
  const { id, url, eventTypes, secret, createdAt } = await webhooks.create(params.storeId, body);
  return { body: { id, url, eventTypes, secret, createdAt } };
});
