import { applicationView } from '../../shared/api/application-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { getApplication } from '../../shared/operations/applications.ts';
import { applications } from '../../shared/runtime/wiring/applications.ts';

export const handler = adminHttpHandler(getApplication, async ({ params }) => {
  return versioned(applicationView(await applications().get(params.storeId, params.applicationId)));
});
