import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteFactor } from '../../shared/operations/client.ts';
import { challenges } from '../../shared/runtime/wiring/challenges.ts';

export const handler = httpHandler(deleteFactor, async ({ params }, client) => {
  await challenges().removeFactor(client.storeId, params.userId);
});
