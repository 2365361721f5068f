import { httpHandler } from '../../shared/http/http-handler.ts';
import { verifyCode } from '../../shared/operations/client.ts';
import { challenges } from '../../shared/runtime/wiring/challenges.ts';

export const handler = httpHandler(verifyCode, async ({ params, body }, client) => {
  return { body: await challenges().verify(client.storeId, params.challengeId, body.code) };
});
