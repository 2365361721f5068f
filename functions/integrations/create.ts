import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { createIntegration } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';
import { context } from '../../shared/runtime/context.ts';

export const handler = httpHandler(createIntegration, async (request) => {
  const { integration, secret } = await integrations().create(request.params.storeId, request.body);
  const view = integrationView(integration, hookBaseUrl(context().config, request.event));
  return { body: { ...view, ...(secret ? { secret } : {}) }, headers: { etag: `"${integration.version}"` } };
});
