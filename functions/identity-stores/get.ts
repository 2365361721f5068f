import { identityStoreView, storeParams } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: storeParams }, async ({ params }) => {
  const { identityStores } = await services();
  return versioned(200, identityStoreView(await identityStores.get(params.storeId)));
});
