import { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { versioned } from '../../shared/http/responses.ts';
import { updateIdentityStore } from '../../shared/operations/identity-stores.ts';
import { identityStoreWrites } from '../../shared/runtime/wiring/identity-store-writes.ts';

export const handler = adminHttpHandler(updateIdentityStore, async (request) => {
  const ifMatch = ifMatchVersion(request.headers, 'The identity store');
  const store = await identityStoreWrites().update(request.params.storeId, request.body, ifMatch);
  return versioned(identityStoreView(store));
});
