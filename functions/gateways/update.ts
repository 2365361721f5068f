import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { versioned } from '../../shared/http/responses.ts';
import { updateGateway } from '../../shared/operations/gateways.ts';
import { gateways } from '../../shared/runtime/wiring/gateways.ts';
import { healthOf } from '../../shared/runtime/wiring/gateway-health.ts';

export const handler = adminHttpHandler(updateGateway, async (request) => {
  const ifMatch = ifMatchVersion(request.headers, 'The gateway');
  const gateway = await gateways().update(request.params.gatewayId, request.body, ifMatch);
  return versioned(gatewayView(gateway, (await healthOf([gateway.id])).get(gateway.id)));
});
