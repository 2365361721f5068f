import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { getRoutingSnapshot } from '../../shared/operations/routing.ts';
import { routing } from '../../shared/runtime/wiring/routing.ts';

export const handler = adminHttpHandler(getRoutingSnapshot, async ({ params }) => ({
  body: await routing().snapshot.get(params.storeId),
}));
