import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { createIntegration } from '../../shared/operations/integrations.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(createIntegration, async (request) => {
  const { integrations, config } = await services();
  const { integration, secret } = await integrations.create(request.params.storeId, request.body);
  const view = integrationView(integration, hookBaseUrl(config, request.event));
  return { body: { ...view, ...(secret ? { secret } : {}) }, headers: { etag: `"${integration.version}"` } };
});
