import { currentContext, USER_REFS } from './context-slot.ts';

/** api.md "User ids in logs": the `userRef` of a user of a store, as the support page shows it. */
export interface UserRefs {
  of(storeId: string, userId: string): Promise<string>;
}

/**
 * The references of the current context, once a feature whose routes name a user has been built
 * (wiring/user-refs.ts `namingUsers`); undefined before, when the request's lines go without one.
 */
export function userRefs(): UserRefs | undefined {
  return currentContext()?.peek<UserRefs>(USER_REFS);
}
