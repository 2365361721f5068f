import { sendOrigin } from '../../shared/http/send-origin.ts';
import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { enrollFactor } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = sendingHttpHandler(enrollFactor, async ({ params, body }, client) => {
  const { challenges } = await services();
  const { clientIp: _ip, channel: _channel, ...input } = body;
  return {
    body: await challenges.enroll(
      client.storeId,
      params.userId,
      input,
      sendOrigin(body, client),
      client.application,
    ),
  };
});
