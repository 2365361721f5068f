import { idempotencyKey, requestFingerprint } from '../../shared/api/challenge-schemas.ts';
import { userParams } from '../../shared/api/user-schemas.ts';
import { clientHttpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';
import '../../shared/runtime/providers.ts';

export const handler = clientHttpHandler({ params: userParams }, async (request, client) => {
  const { challenges, idempotency } = await services();
  const { userId } = request.params;
  const answer = await idempotency.run(
    client.storeId,
    idempotencyKey(request.headers),
    requestFingerprint('authenticate', userId),
    async () => ({ status: 201, body: await challenges.authenticate(client.storeId, userId) }),
  );
  return json(answer.status, answer.body);
});
