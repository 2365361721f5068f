import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { testGateway } from '../../shared/operations/gateways.ts';
import { gatewayTests as gateways } from '../../shared/runtime/wiring/gateway-tests.ts';

export const handler = sendingHttpHandler(testGateway, async ({ params, body }) => {
  const sent = await gateways().test(params.gatewayId, body.phoneNumber);
  return { body: { status: 'sent' as const, providerMessageId: sent.providerMessageId } };
});
