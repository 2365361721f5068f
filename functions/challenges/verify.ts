import { httpHandler } from '../../shared/http/http-handler.ts';
import { verifyCode } from '../../shared/operations/client.ts';
import { codeVerification } from '../../shared/runtime/wiring/verify-code.ts';

export const handler = httpHandler(verifyCode, async ({ params, body }, client) => {
  return { body: await codeVerification().run(client.storeId, params.challengeId, body.code) };
});
