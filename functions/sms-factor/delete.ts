import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteFactor } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(deleteFactor, async ({ params }, client) => {
  const { challenges } = await services();
  await challenges.removeFactor(client.storeId, params.userId);
});
