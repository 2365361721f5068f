import { storeParams } from '../../shared/api/identity-store-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { noContent } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({ params: storeParams }, async (request) => {
  const { identityStores } = await services();
  await identityStores.delete(request.params.storeId, ifMatchVersion(request.headers, 'The identity store'));
  return noContent();
});
