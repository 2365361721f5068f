import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { deleteApplication } from '../../shared/operations/applications.ts';
import { applications } from '../../shared/runtime/wiring/applications.ts';

export const handler = adminHttpHandler(deleteApplication, async ({ params, headers }) => {
  const ifMatch = ifMatchVersion(headers, 'The application');
  await applications().delete(params.storeId, params.applicationId, ifMatch);
});
