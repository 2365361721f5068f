import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { createGateway } from '../../shared/operations/gateways.ts';
import { gateways } from '../../shared/runtime/wiring/gateways.ts';

export const handler = httpHandler(createGateway, async ({ body }) => {
  return versioned(gatewayView(await gateways().create(body)));
});
