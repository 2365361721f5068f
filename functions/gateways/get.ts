import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { getGateway } from '../../shared/operations/gateways.ts';
import { gatewayReads } from '../../shared/runtime/wiring/gateways.ts';
import { healthOf } from '../../shared/runtime/wiring/gateway-health.ts';

export const handler = adminHttpHandler(getGateway, async ({ params }) => {
  const gateway = await gatewayReads().get(params.gatewayId);
  return versioned(gatewayView(gateway, (await healthOf([gateway.id])).get(gateway.id)));
});
