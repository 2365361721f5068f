import { httpHandler } from '../../shared/http/http-handler.ts';
import { getFactor } from '../../shared/operations/client.ts';
import { challenges } from '../../shared/runtime/wiring/challenges.ts';

export const handler = httpHandler(getFactor, async ({ params }, client) => {
  return { body: await challenges().factor(client.storeId, params.userId) };
});
