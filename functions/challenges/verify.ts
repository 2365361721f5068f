import { challengeParams, verifyBody } from '../../shared/api/challenge-schemas.ts';
import { clientHttpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = clientHttpHandler(
  { params: challengeParams, body: verifyBody },
  async ({ params, body }, client) => {
    const { challenges } = await services();
    return json(200, await challenges.verify(client.storeId, params.challengeId, body.code));
  },
);
