import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { getIntegration } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';
import { context } from '../../shared/runtime/context.ts';

export const handler = adminHttpHandler(getIntegration, async (request) => {
  const { storeId, integrationId } = request.params;
  const integration = await integrations().get(storeId, integrationId);
  return versioned(integrationView(integration, hookBaseUrl(context().config, request.event)));
});
