import { httpHandler } from '../../shared/http/http-handler.ts';
import { unlockStoreUser } from '../../shared/operations/support.ts';
import { services } from '../../shared/runtime/container.ts';
import { adminActor } from '../../shared/runtime/event-hooks.ts';

export const handler = httpHandler(unlockStoreUser, async ({ params, event }) => {
  const { userSupport } = await services();
  await userSupport.unlock(params.storeId, params.userId, adminActor(event.requestContext));
});
