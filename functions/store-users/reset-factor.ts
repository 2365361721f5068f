import { supportHttpHandler } from '../../shared/http/support-http-handler.ts';
import { resetStoreUserFactor } from '../../shared/operations/support.ts';
import { userSupport } from '../../shared/runtime/wiring/support.ts';
import { adminActor } from '../../shared/runtime/event-hooks.ts';

export const handler = supportHttpHandler(resetStoreUserFactor, async ({ params, body, event }) => {
  const actor = adminActor(event.requestContext);
  await userSupport().reset(params.storeId, params.userId, actor, body.reason);
});
