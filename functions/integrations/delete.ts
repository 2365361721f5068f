import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteIntegration } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';

export const handler = adminHttpHandler(deleteIntegration, async (request) => {
  const { storeId, integrationId } = request.params;
  await integrations().delete(storeId, integrationId, ifMatchVersion(request.headers, 'The integration'));
});
