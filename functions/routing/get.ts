import { httpHandler } from '../../shared/http/http-handler.ts';
import { getRoutingSnapshot } from '../../shared/operations/routing.ts';
import { routing } from '../../shared/runtime/wiring/routing.ts';

export const handler = httpHandler(getRoutingSnapshot, async ({ params }) => ({
  body: await routing().snapshot.get(params.storeId),
}));
