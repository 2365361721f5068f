import { httpHandler } from '../../shared/http/http-handler.ts';
import { listWebhooks } from '../../shared/operations/webhooks.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listWebhooks, async ({ params }) => {
  const { webhooks } = await services();
  return { body: { items: await webhooks.list(params.storeId) } };
});
