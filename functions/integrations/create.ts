import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { createIntegration } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';
import { context } from '../../shared/runtime/context.ts';

export const handler = adminHttpHandler(createIntegration, async (request) => {
  const { integration, secret } = await integrations().create(request.params.storeId, request.body);
  const view = integrationView(integration, hookBaseUrl(context().config, request.event));
  return { body: { ...view, ...(secret ? { secret } : {}) }, headers: { etag: `"${integration.version}"` } };
});
