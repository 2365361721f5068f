import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { deleteApiKey } from '../../shared/operations/identity-stores.ts';
import { apiKeyAdmin as apiKeys } from '../../shared/runtime/wiring/api-key-admin.ts';

export const handler = adminHttpHandler(deleteApiKey, async ({ params }) => {
  await apiKeys().revoke(params.storeId, params.keyId);
});
