import { httpHandler } from '../../shared/http/http-handler.ts';
import { listGatewayTypes } from '../../shared/operations/gateways.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listGatewayTypes, async () => {
  const { gateways } = await services();
  return { body: { items: gateways.types() } };
});
