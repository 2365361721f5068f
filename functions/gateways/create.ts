import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { createGateway } from '../../shared/operations/gateways.ts';
import { gateways } from '../../shared/runtime/wiring/gateways.ts';

export const handler = adminHttpHandler(createGateway, async ({ body }) => {
  return versioned(gatewayView(await gateways().create(body)));
});
