import { httpHandler } from '../../shared/http/http-handler.ts';
import { getFactor } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getFactor, async ({ params }, client) => {
  const { challenges } = await services();
  return { body: await challenges.factor(client.storeId, params.userId) };
});
