import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { listIntegrations } from '../../shared/operations/integrations.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listIntegrations, async (request) => {
  const { integrations, config } = await services();
  const page = await integrations.list(request.params.storeId, request.query);
  const base = hookBaseUrl(config, request.event);
  return { body: { ...page, items: page.items.map((item) => integrationView(item, base)) } };
});
