import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { listGateways } from '../../shared/operations/gateways.ts';
import { gateways } from '../../shared/runtime/wiring/gateways.ts';

export const handler = httpHandler(listGateways, async ({ query }) => {
  const page = await gateways().list(query);
  return { body: { ...page, items: page.items.map(gatewayView) } };
});
