import { applicationView } from '../../shared/api/application-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { versioned } from '../../shared/http/responses.ts';
import { createApplication } from '../../shared/operations/applications.ts';
import { applications } from '../../shared/runtime/wiring/applications.ts';

export const handler = adminHttpHandler(createApplication, async ({ params, body }) => {
  return versioned(applicationView(await applications().create(params.storeId, body)));
});
