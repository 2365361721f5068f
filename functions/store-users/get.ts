import { supportHttpHandler } from '../../shared/http/support-http-handler.ts';
import { getStoreUser } from '../../shared/operations/support.ts';
import { userSupport } from '../../shared/runtime/wiring/support.ts';

export const handler = supportHttpHandler(getStoreUser, async ({ params }) => {
  return { body: await userSupport().lookup(params.storeId, params.userId) };
});
