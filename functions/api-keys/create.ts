import { httpHandler } from '../../shared/http/http-handler.ts';
import { createApiKey } from '../../shared/operations/identity-stores.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(createApiKey, async ({ params, body }) => {
  const { apiKeys } = await services();
  const { id, name, key, createdAt } = await apiKeys.create(params.storeId, body.name);
  return { body: { id, name, key, createdAt } };
});
