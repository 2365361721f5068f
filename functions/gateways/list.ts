import { gatewayView } from '../../shared/api/gateway-schemas.ts';
import { pageQuery } from '../../shared/api/common.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ query: pageQuery }, async ({ query }) => {
  const { gateways } = await services();
  const page = await gateways.list(query);
  return json(200, { ...page, items: page.items.map(gatewayView) });
});
