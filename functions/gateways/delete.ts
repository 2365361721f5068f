import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteGateway } from '../../shared/operations/gateways.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(deleteGateway, async (request) => {
  const { gateways } = await services();
  await gateways.delete(request.params.gatewayId, ifMatchVersion(request.headers, 'The gateway'));
});
