import { gatewayParams, gatewayView, updateGatewayBody } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { versioned } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: gatewayParams, body: updateGatewayBody }, async (request) => {
  const { gateways } = await services();
  const ifMatch = ifMatchVersion(request.headers, 'The gateway');
  return versioned(200, gatewayView(await gateways.update(request.params.gatewayId, request.body, ifMatch)));
});
