import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { getStoreUser } from '../../shared/operations/support.ts';
import { userSupport } from '../../shared/runtime/wiring/support.ts';

export const handler = adminHttpHandler(getStoreUser, async ({ params }) => {
  return { body: await userSupport().lookup(params.storeId, params.userId) };
});
