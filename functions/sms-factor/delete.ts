import { userParams } from '../../shared/api/user-schemas.ts';
import { clientHttpHandler } from '../../shared/http/http-handler.ts';
import { noContent } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = clientHttpHandler({ params: userParams }, async ({ params }, client) => {
  const { challenges } = await services();
  await challenges.removeFactor(client.storeId, params.userId);
  return noContent();
});
