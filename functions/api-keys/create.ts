import { createApiKeyBody } from '../../shared/api/api-key-schemas.ts';
import { storeParams } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(
  { params: storeParams, body: createApiKeyBody },
  async ({ params, body }) => {
    const { apiKeys } = await services();
    const { id, name, key, createdAt } = await apiKeys.create(params.storeId, body.name);
    return json(201, { id, name, key, createdAt });
  },
);
