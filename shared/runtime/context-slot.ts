import type { Context } from './context-types.ts';

/**
 * The event log's slot, known here so that the HTTP pipeline can wait for the events a request caused
 * (wiring/events.ts builds it) without importing, and bundling, what builds it.
 */
export const EVENTS = Symbol('events');

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
