import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { getUsage } from '../../shared/operations/usage.ts';
import { usage } from '../../shared/runtime/wiring/usage.ts';

export const handler = adminHttpHandler(getUsage, async ({ params, query }) => {
  return { body: await usage().reports.report(params.storeId, query) };
});
