import { pageQuery } from '../../shared/api/common.ts';
import { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ query: pageQuery }, async ({ query }) => {
  const { identityStores } = await services();
  const page = await identityStores.list(query);
  return json(200, { ...page, items: page.items.map(identityStoreView) });
});
