import { applicationView } from '../../shared/api/application-schemas.ts';
import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';
import { versioned } from '../../shared/http/responses.ts';
import { updateApplication } from '../../shared/operations/applications.ts';
import { applications } from '../../shared/runtime/wiring/applications.ts';

export const handler = adminHttpHandler(updateApplication, async ({ params, body, headers }) => {
  const ifMatch = ifMatchVersion(headers, 'The application');
  const updated = await applications().update(params.storeId, params.applicationId, body, ifMatch);
  return versioned(applicationView(updated));
});
