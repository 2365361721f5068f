import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { versioned } from '../../shared/http/responses.ts';
import { updateIntegration } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';
import { context } from '../../shared/runtime/context.ts';

export const handler = adminHttpHandler(updateIntegration, async (request) => {
  const { storeId, integrationId } = request.params;
  const ifMatch = ifMatchVersion(request.headers, 'The integration');
  const updated = await integrations().update(storeId, integrationId, request.body, ifMatch);
  return versioned(integrationView(updated, hookBaseUrl(context().config, request.event)));
});
