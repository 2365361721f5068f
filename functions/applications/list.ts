import { applicationView } from '../../shared/api/application-schemas.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { listApplications } from '../../shared/operations/applications.ts';
import { applications } from '../../shared/runtime/wiring/applications.ts';

export const handler = httpHandler(listApplications, async ({ params, query }) => {
  const page = await applications().list(params.storeId, query);
  return { body: { ...page, items: page.items.map(applicationView) } };
});
