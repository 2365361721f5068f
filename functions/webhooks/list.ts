import { httpHandler } from '../../shared/http/http-handler.ts';
import { listWebhooks } from '../../shared/operations/webhooks.ts';
import { webhooks } from '../../shared/runtime/wiring/webhooks.ts';

export const handler = httpHandler(listWebhooks, async ({ params }) => {
  return { body: { items: await webhooks().list(params.storeId) } };
});
