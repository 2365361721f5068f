import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../ports/clock.ts';

/**
 * When a request reached the service (API Gateway's `requestContext.timeEpoch`; locally, when the server
 * had read it), and the clock that tells how long ago that was.
 */
export interface Arrival {
  /** Epoch milliseconds. */
  at: number;
  clock: Clock;
}

/**
 * The arrival of the request being answered. The local server answers many requests in one process, so
 * a module variable would mix them up; the async context follows each request through its awaits.
 */
const current = new AsyncLocalStorage<{ arrival: Arrival; answered: boolean }>();

/** Runs a request's work with its arrival in scope: every `Deadline` made within counts from it. */
export async function withArrival<T>(arrival: Arrival, work: () => Promise<T>): Promise<T> {
  const scope = { arrival, answered: false };
  try {
    return await current.run(scope, work);
  } finally {
    // Timers and tasks started by the request inherit its context; once it is answered, their own
    // sends (a later job, a sweep) have their own budget.
    scope.answered = true;
  }
}

export function requestArrival(): Arrival | undefined {
  const scope = current.getStore();
  return scope && !scope.answered ? scope.arrival : undefined;
}

/** How long ago the request arrived (0 when there is no request, or a clock put it in the future). */
export function sinceArrival(arrival: Arrival | undefined): number {
  return arrival ? Math.max(0, arrival.clock.now().getTime() - arrival.at) : 0;
}
