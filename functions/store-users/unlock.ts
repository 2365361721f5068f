import { supportHttpHandler } from '../../shared/http/support-http-handler.ts';
import { unlockStoreUser } from '../../shared/operations/support.ts';
import { userSupport } from '../../shared/runtime/wiring/support.ts';
import { adminActor } from '../../shared/runtime/event-hooks.ts';

export const handler = supportHttpHandler(unlockStoreUser, async ({ params, event }) => {
  await userSupport().unlock(params.storeId, params.userId, adminActor(event.requestContext));
});
