import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listGateways } from '../../shared/operations/gateways.ts';
import { gatewayReads } from '../../shared/runtime/wiring/gateways.ts';
import { healthOf } from '../../shared/runtime/wiring/gateway-health.ts';

export const handler = adminHttpHandler(listGateways, async ({ query }) => {
  const page = await gatewayReads().list(query);
  const health = await healthOf(page.items.map((gateway) => gateway.id));
  return {
    body: { ...page, items: page.items.map((gateway) => gatewayView(gateway, health.get(gateway.id))) },
  };
});
