import { createIdentityStoreBody, identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ body: createIdentityStoreBody }, async ({ body }) => {
  const { identityStores } = await services();
  return versioned(201, identityStoreView(await identityStores.create(body)));
});
