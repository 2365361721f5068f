import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { rotateIntegrationSecret } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';

export const handler = adminHttpHandler(rotateIntegrationSecret, async (request) => {
  const { storeId, integrationId } = request.params;
  return { body: { secret: await integrations().rotateSecret(storeId, integrationId) } };
});
