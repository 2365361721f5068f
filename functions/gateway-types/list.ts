import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listGatewayTypes } from '../../shared/operations/gateways.ts';
import { gatewayTypes } from '../../shared/runtime/wiring/gateways.ts';

export const handler = adminHttpHandler(listGatewayTypes, async () => {
  return { body: { items: gatewayTypes().list() } };
});
