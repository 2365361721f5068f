import { gatewayParams, gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: gatewayParams }, async ({ params }) => {
  const { gateways } = await services();
  return versioned(200, gatewayView(await gateways.get(params.gatewayId)));
});
