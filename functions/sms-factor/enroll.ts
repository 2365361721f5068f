import { sendOrigin } from '../../shared/http/send-origin.ts';
import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { enrollFactor } from '../../shared/operations/client.ts';
import { challengeSends as challenges } from '../../shared/runtime/wiring/challenge-sends.ts';

export const handler = sendingHttpHandler(enrollFactor, async ({ params, body }, client) => {
  const { clientIp: _ip, locale: _locale, channel: _channel, ...input } = body;
  return {
    body: await challenges().enroll(
      client.storeId,
      params.userId,
      input,
      sendOrigin(body, client),
      client.application,
    ),
  };
});
