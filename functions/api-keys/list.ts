import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listApiKeys } from '../../shared/operations/identity-stores.ts';
import { apiKeyAdmin as apiKeys } from '../../shared/runtime/wiring/api-key-admin.ts';

export const handler = adminHttpHandler(listApiKeys, async ({ params }) => {
  return { body: { items: await apiKeys().list(params.storeId) } };
});
