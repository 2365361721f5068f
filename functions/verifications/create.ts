import { sendOrigin } from '../../shared/http/send-origin.ts';
import { sendingHttpHandler } from '../../shared/http/sending-handler.ts';
import { verifyPhone } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = sendingHttpHandler(verifyPhone, async ({ body }, client) => {
  const { challenges } = await services();
  return {
    body: await challenges.verifyPhone(
      client.storeId,
      body.phoneNumber,
      sendOrigin(body, client),
      client.application,
    ),
  };
});
