import { storeParams } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: storeParams }, async ({ params }) => {
  const { apiKeys } = await services();
  return json(200, { items: await apiKeys.list(params.storeId) });
});
