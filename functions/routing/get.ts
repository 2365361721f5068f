import { httpHandler } from '../../shared/http/http-handler.ts';
import { getRoutingSnapshot } from '../../shared/operations/routing.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getRoutingSnapshot, async ({ params }) => {
  const { routing } = await services();
  return { body: await routing.get(params.storeId) };
});
