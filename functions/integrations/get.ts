import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { getIntegration } from '../../shared/operations/integrations.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getIntegration, async (request) => {
  const { integrations, config } = await services();
  const { storeId, integrationId } = request.params;
  const integration = await integrations.get(storeId, integrationId);
  return versioned(integrationView(integration, hookBaseUrl(config, request.event)));
});
