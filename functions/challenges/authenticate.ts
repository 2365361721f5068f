import { sendOrigin } from '../../shared/http/send-origin.ts';
import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { authenticate } from '../../shared/operations/client.ts';
import { challengeSends as challenges } from '../../shared/runtime/wiring/challenge-sends.ts';

export const handler = sendingHttpHandler(authenticate, async ({ params, body }, client) => {
  return {
    body: await challenges().authenticate(
      client.storeId,
      params.userId,
      sendOrigin(body, client),
      client.application,
    ),
  };
});
