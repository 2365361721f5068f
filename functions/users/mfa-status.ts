import { httpHandler } from '../../shared/http/http-handler.ts';
import { mfaStatus } from '../../shared/operations/client.ts';
import { mfa } from '../../shared/runtime/wiring/challenge-records.ts';

export const handler = httpHandler(mfaStatus, async ({ params, query }, client) => {
  const { identitySource, roles } = query;
  const options = { application: client.application, ...(identitySource ? { identitySource } : {}) };
  return { body: await mfa().decide(client.storeId, params.userId, roles, options) };
});
