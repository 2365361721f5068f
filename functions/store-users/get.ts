import { httpHandler } from '../../shared/http/http-handler.ts';
import { getStoreUser } from '../../shared/operations/support.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getStoreUser, async ({ params }) => {
  const { userSupport } = await services();
  return { body: await userSupport.lookup(params.storeId, params.userId) };
});
