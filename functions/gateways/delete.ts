import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteGateway } from '../../shared/operations/gateways.ts';
import { gateways } from '../../shared/runtime/wiring/gateways.ts';

export const handler = adminHttpHandler(deleteGateway, async (request) => {
  await gateways().delete(request.params.gatewayId, ifMatchVersion(request.headers, 'The gateway'));
});
