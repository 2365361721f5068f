import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteIdentityStore } from '../../shared/operations/identity-stores.ts';
import { identityStores } from '../../shared/runtime/wiring/identity-stores.ts';

export const handler = httpHandler(deleteIdentityStore, async (request) => {
  await identityStores().delete(
    request.params.storeId,
    ifMatchVersion(request.headers, 'The identity store'),
  );
});
