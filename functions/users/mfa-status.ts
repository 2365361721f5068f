import { httpHandler } from '../../shared/http/http-handler.ts';
import { mfaStatus } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(mfaStatus, async ({ params, query }, client) => {
  const { mfa } = await services();
  const { identitySource, roles } = query;
  const options = { application: client.application, ...(identitySource ? { identitySource } : {}) };
  return { body: await mfa.decide(client.storeId, params.userId, roles, options) };
});
