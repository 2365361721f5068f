import { httpHandler } from '../../shared/http/http-handler.ts';
import { getUsage } from '../../shared/operations/usage.ts';
import { usage } from '../../shared/runtime/wiring/usage.ts';

export const handler = httpHandler(getUsage, async ({ params, query }) => {
  return { body: await usage().reports.report(params.storeId, query) };
});
