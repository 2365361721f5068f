import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { createApiKey } from '../../shared/operations/identity-stores.ts';
import { apiKeyAdmin as apiKeys } from '../../shared/runtime/wiring/api-key-admin.ts';

export const handler = adminHttpHandler(createApiKey, async ({ params, body }) => {
  const created = await apiKeys().create(params.storeId, body.name, body.applicationId ?? null);
  const { id, name, key, applicationId, createdAt } = created;
  return { body: { id, name, key, applicationId, createdAt } };
});
