import { userRef } from '../../domain/support/user-ref.ts';
import { feature, USER_REFS, type Context } from '../context.ts';
import type { UserRefs } from '../user-ref-hooks.ts';
import { pepper } from './config-reads.ts';

/**
 * The `userRef` the HTTP pipeline puts on a request's log lines: the support page's function with the
 * same pepper source (its keys are cached in the warm process, so a request that reads the pepper
 * anyway adds no read).
 */
export const userRefs = /* @__PURE__ */ feature(USER_REFS, (ctx): UserRefs => {
  const source = pepper(ctx);
  return { of: async (storeId, userId) => userRef((await source.versions()).keys, storeId, userId) };
});

/** A feature whose routes name a user: building it builds the references its log lines carry. */
export function namingUsers<T>(ctx: Context, service: T): T {
  userRefs(ctx);
  return service;
}
