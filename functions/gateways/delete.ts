import { gatewayParams } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { noContent } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: gatewayParams }, async (request) => {
  const { gateways } = await services();
  await gateways.delete(request.params.gatewayId, ifMatchVersion(request.headers, 'The gateway'));
  return noContent();
});
