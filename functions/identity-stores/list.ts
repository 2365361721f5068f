import { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { listIdentityStores } from '../../shared/operations/identity-stores.ts';
import { identityStores } from '../../shared/runtime/wiring/identity-stores.ts';

export const handler = httpHandler(listIdentityStores, async ({ query }) => {
  const page = await identityStores().list(query);
  return { body: { ...page, items: page.items.map(identityStoreView) } };
});
