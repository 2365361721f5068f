import { sendOrigin } from '../../shared/http/send-origin.ts';
import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { authenticate } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = sendingHttpHandler(authenticate, async ({ params, body }, client) => {
  const { challenges } = await services();
  return {
    body: await challenges.authenticate(
      client.storeId,
      params.userId,
      sendOrigin(body, client),
      client.application,
    ),
  };
});
