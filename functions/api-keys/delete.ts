import { apiKeyParams } from '../../shared/api/api-key-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { noContent } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: apiKeyParams }, async ({ params }) => {
  const { apiKeys } = await services();
  await apiKeys.revoke(params.storeId, params.keyId);
  return noContent();
});
