import { applicationView } from '../../shared/api/application-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listApplications } from '../../shared/operations/applications.ts';
import { applications } from '../../shared/runtime/wiring/applications.ts';

export const handler = adminHttpHandler(listApplications, async ({ params, query }) => {
  const page = await applications().list(params.storeId, query);
  return { body: { ...page, items: page.items.map(applicationView) } };
});
