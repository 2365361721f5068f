import { httpHandler } from '../../shared/http/http-handler.ts';
import { verifyCode } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(verifyCode, async ({ params, body }, client) => {
  const { challenges } = await services();
  return { body: await challenges.verify(client.storeId, params.challengeId, body.code) };
});
