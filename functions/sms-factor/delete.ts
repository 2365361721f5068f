import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteFactor } from '../../shared/operations/client.ts';
import { factorRemoval } from '../../shared/runtime/wiring/sms-factor.ts';

export const handler = httpHandler(deleteFactor, async ({ params }, client) => {
  await factorRemoval().run(client.storeId, params.userId);
});
