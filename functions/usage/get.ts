import { httpHandler } from '../../shared/http/http-handler.ts';
import { getUsage } from '../../shared/operations/usage.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getUsage, async ({ params, query }) => {
  const { usage } = await services();
  return { body: await usage.report(params.storeId, query) };
});
