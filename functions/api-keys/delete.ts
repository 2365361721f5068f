import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteApiKey } from '../../shared/operations/identity-stores.ts';
import { apiKeys } from '../../shared/runtime/wiring/api-keys.ts';

export const handler = httpHandler(deleteApiKey, async ({ params }) => {
  await apiKeys().revoke(params.storeId, params.keyId);
});
