import type { Operation } from '../operations/operation.ts';
import { httpPipeline, type Handle, type LambdaHttpHandler } from './http-pipeline.ts';
import { userRefKey } from './user-ref-key.ts';

/**
 * The support desk's user routes: an admin route (no tracer, admin-http-handler.ts) whose log lines name
 * the user by `userRef` (user-ref-key.ts), as the support page shows it. Apart from `adminHttpHandler`, so
 * that the admin routes that name no user do not bundle the reference.
 */
export function supportHttpHandler<
  const O extends Operation & { auth: 'admin'; sends?: false; idempotent?: false },
>(operation: O, handle: Handle<O>): LambdaHttpHandler {
  return httpPipeline(operation, handle, { namedUser: userRefKey() });
}
