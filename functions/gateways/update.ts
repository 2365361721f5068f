import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { versioned } from '../../shared/http/responses.ts';
import { updateGateway } from '../../shared/operations/gateways.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(updateGateway, async (request) => {
  const { gateways, gatewayHealth, clock } = await services();
  const ifMatch = ifMatchVersion(request.headers, 'The gateway');
  const gateway = await gateways.update(request.params.gatewayId, request.body, ifMatch);
  const health = await gatewayHealth.health([gateway.id], clock.now().getTime());
  return versioned(gatewayView(gateway, health.get(gateway.id)));
});
