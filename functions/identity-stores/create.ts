import { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { createIdentityStore } from '../../shared/operations/identity-stores.ts';
import { identityStoreWrites } from '../../shared/runtime/wiring/identity-store-writes.ts';

export const handler = adminHttpHandler(createIdentityStore, async ({ body }) => {
  return versioned(identityStoreView(await identityStoreWrites().create(body)));
});
