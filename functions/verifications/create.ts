import { idempotencyKey, requestFingerprint, verifyPhoneBody } from '../../shared/api/challenge-schemas.ts';
import { clientHttpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';
import '../../shared/runtime/providers.ts';

export const handler = clientHttpHandler({ body: verifyPhoneBody }, async (request, client) => {
  const { challenges, idempotency } = await services();
  const answer = await idempotency.run(
    client.storeId,
    idempotencyKey(request.headers),
    requestFingerprint('verify-phone', request.body),
    async () => ({
      status: 201,
      body: await challenges.verifyPhone(client.storeId, request.body.phoneNumber),
    }),
  );
  return json(answer.status, answer.body);
});
