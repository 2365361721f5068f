import { httpHandler } from '../../shared/http/http-handler.ts';
import { rotateIntegrationSecret } from '../../shared/operations/integrations.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(rotateIntegrationSecret, async (request) => {
  const { integrations } = await services();
  const { storeId, integrationId } = request.params;
  return { body: { secret: await integrations.rotateSecret(storeId, integrationId) } };
});
