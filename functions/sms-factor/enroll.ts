import { enrollBody, idempotencyKey, requestFingerprint } from '../../shared/api/challenge-schemas.ts';
import { userParams } from '../../shared/api/user-schemas.ts';
import { clientHttpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';
import '../../shared/runtime/providers.ts';

export const handler = clientHttpHandler(
  { params: userParams, body: enrollBody },
  async (request, client) => {
    const { challenges, idempotency } = await services();
    const { userId } = request.params;
    const fingerprint = requestFingerprint('enroll', userId, request.body);
    const answer = await idempotency.run(
      client.storeId,
      idempotencyKey(request.headers),
      fingerprint,
      async () => ({
        status: 202,
        body: await challenges.enroll(client.storeId, userId, request.body),
      }),
    );
    return json(answer.status, answer.body);
  },
);
