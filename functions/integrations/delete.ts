import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteIntegration } from '../../shared/operations/integrations.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(deleteIntegration, async (request) => {
  const { integrations } = await services();
  const { storeId, integrationId } = request.params;
  await integrations.delete(storeId, integrationId, ifMatchVersion(request.headers, 'The integration'));
});
