import { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listIdentityStores } from '../../shared/operations/identity-stores.ts';
import { identityStores } from '../../shared/runtime/wiring/identity-stores.ts';

export const handler = adminHttpHandler(listIdentityStores, async ({ query }) => {
  const page = await identityStores().list(query);
  return { body: { ...page, items: page.items.map(identityStoreView) } };
});
