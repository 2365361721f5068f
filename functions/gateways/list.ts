import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { listGateways } from '../../shared/operations/gateways.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listGateways, async ({ query }) => {
  const { gateways, gatewayHealth, clock } = await services();
  const page = await gateways.list(query);
  const health = await gatewayHealth.health(
    page.items.map((gateway) => gateway.id),
    clock.now().getTime(),
  );
  return {
    body: { ...page, items: page.items.map((gateway) => gatewayView(gateway, health.get(gateway.id))) },
  };
});
