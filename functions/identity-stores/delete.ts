import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteIdentityStore } from '../../shared/operations/identity-stores.ts';
import { identityStoreRemoval } from '../../shared/runtime/wiring/identity-stores.ts';

export const handler = adminHttpHandler(deleteIdentityStore, async (request) => {
  await identityStoreRemoval().delete(
    request.params.storeId,
    ifMatchVersion(request.headers, 'The identity store'),
  );
});
