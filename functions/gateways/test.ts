import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { testGateway } from '../../shared/operations/gateways.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = sendingHttpHandler(testGateway, async ({ params, body }) => {
  const { gateways } = await services();
  const sent = await gateways.test(params.gatewayId, body.phoneNumber);
  return { body: { status: 'sent' as const, providerMessageId: sent.providerMessageId } };
});
