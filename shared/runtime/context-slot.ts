import type { Context } from './context-types.ts';

/**
 * The event log's slot, known here so that the HTTP pipeline can wait for the events a request caused
 * (wiring/events.ts builds it) without importing, and bundling, what builds it.
 */
export const EVENTS = Symbol('events');

/**
 * The slot of the user references log lines carry (api.md "User ids in logs"): wiring/user-refs.ts
 * builds it for the features whose routes name a user, and the HTTP pipeline reads it without
 * bundling the pepper's secret store where no route needs it.
 */
export const USER_REFS = Symbol('user refs');

/**
 * The process's one context, apart from what makes it (context.ts), so that the HTTP pipeline can look
 * at it without bundling the DynamoDB client: `health` builds none.
 */
let current: Context | undefined;

export function currentContext(): Context | undefined {
  return current;
}

/** The local server and tests put a context of their own in place (`undefined`: back to the environment's). */
export function useContext(replacement: Context | undefined): void {
  current = replacement;
}
