import { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { createIdentityStore } from '../../shared/operations/identity-stores.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(createIdentityStore, async ({ body }) => {
  const { identityStores } = await services();
  return versioned(identityStoreView(await identityStores.create(body)));
});
