import { integrationView } from '../../shared/api/integration-schemas.ts';
import { hookBaseUrl } from '../../shared/http/hook-url.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listIntegrations } from '../../shared/operations/integrations.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';
import { context } from '../../shared/runtime/context.ts';

export const handler = adminHttpHandler(listIntegrations, async (request) => {
  const page = await integrations().list(request.params.storeId, request.query);
  const base = hookBaseUrl(context().config, request.event);
  return { body: { ...page, items: page.items.map((item) => integrationView(item, base)) } };
});
