import { sendOrigin } from '../../shared/http/send-origin.ts';
import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { verifyPhone } from '../../shared/operations/client.ts';
import { challengeSends as challenges } from '../../shared/runtime/wiring/challenge-sends.ts';

export const handler = sendingHttpHandler(verifyPhone, async ({ body }, client) => {
  return {
    body: await challenges().verifyPhone(
      client.storeId,
      body.phoneNumber,
      sendOrigin(body, client),
      client.application,
    ),
  };
});
