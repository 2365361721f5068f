import { httpHandler } from '../../shared/http/http-handler.ts';
import { listGatewayTypes } from '../../shared/operations/gateways.ts';
import { gateways } from '../../shared/runtime/wiring/gateways.ts';

export const handler = httpHandler(listGatewayTypes, async () => {
  return { body: { items: gateways().types() } };
});
