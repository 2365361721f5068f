import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { getGateway } from '../../shared/operations/gateways.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getGateway, async ({ params }) => {
  const { gateways, gatewayHealth, clock } = await services();
  const gateway = await gateways.get(params.gatewayId);
  const health = await gatewayHealth.health([gateway.id], clock.now().getTime());
  return versioned(gatewayView(gateway, health.get(gateway.id)));
});
