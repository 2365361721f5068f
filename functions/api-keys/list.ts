import { httpHandler } from '../../shared/http/http-handler.ts';
import { listApiKeys } from '../../shared/operations/identity-stores.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listApiKeys, async ({ params }) => {
  const { apiKeys } = await services();
  return { body: { items: await apiKeys.list(params.storeId) } };
});
