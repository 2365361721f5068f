import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteApiKey } from '../../shared/operations/identity-stores.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(deleteApiKey, async ({ params }) => {
  const { apiKeys } = await services();
  await apiKeys.revoke(params.storeId, params.keyId);
});
