import { gatewayParams, testGatewayBody } from '../../shared/api/gateway-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';
import '../../shared/runtime/providers.ts';

export const handler = httpHandler(
  { params: gatewayParams, body: testGatewayBody },
  async ({ params, body }) => {
    const { gateways } = await services();
    const sent = await gateways.test(params.gatewayId, body.phoneNumber);
    return json(200, { status: 'sent', providerMessageId: sent.providerMessageId });
  },
);
