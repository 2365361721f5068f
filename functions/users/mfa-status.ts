import { mfaQuery, userParams } from '../../shared/api/user-schemas.ts';
import { clientHttpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = clientHttpHandler(
  { params: userParams, query: mfaQuery },
  async ({ params, query }, client) => {
    const { mfa } = await services();
    return json(200, await mfa.decide(client.storeId, params.userId, query.roles));
  },
);
