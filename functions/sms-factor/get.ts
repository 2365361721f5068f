import { httpHandler } from '../../shared/http/http-handler.ts';
import { getFactor } from '../../shared/operations/client.ts';
import { factorView } from '../../shared/runtime/wiring/sms-factor.ts';

export const handler = httpHandler(getFactor, async ({ params }, client) => {
  return { body: await factorView().run(client.storeId, params.userId) };
});
