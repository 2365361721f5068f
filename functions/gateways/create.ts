import { createGatewayBody, gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ body: createGatewayBody }, async ({ body }) => {
  const { gateways } = await services();
  return versioned(201, gatewayView(await gateways.create(body)));
});
