import { requestArrival, sinceArrival, type Arrival } from './arrival.ts';

/**
 * api.md: a send request is answered within 12 seconds of its arrival (API Gateway's `timeEpoch`),
 * whatever the providers do.
 */
export const SEND_DEADLINE_MS = 12_000;
/**
 * Provider attempts must end this much earlier, leaving time for the writes after them (withdrawing a
 * code that was never delivered) and the answer itself.
 */
export const PROVIDER_BUDGET_MS = SEND_DEADLINE_MS - 1_500;
/** api.md: Okta waits 3 seconds for its telephony hook; the hook answers within 2.5. */
export const OKTA_ANSWER_MS = 2_500;
/**
 * Provider attempts of an Okta relay end this much before the answer is due, and the hook answers then:
 * the rest is for the answer to leave a CPU that a burst of hooks keeps busy.
 */
export const OKTA_PROVIDER_BUDGET_MS = OKTA_ANSWER_MS - 800;
/** An attempt with less time than this left is not started. */
export const MIN_ATTEMPT_MS = 250;
/**
 * Functions that send run with this timeout, at least 3 seconds above the deadline (api.md), in CDK and
 * the local server alike.
 */
export const SENDING_FUNCTION_TIMEOUT_SECONDS = SEND_DEADLINE_MS / 1000 + 3;

/**
 * One budget for every provider attempt of a send. It counts from the request's arrival (what the
 * handler's queueing, authorizer and reads took is already spent), then on a monotonic clock.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly endsAt: number;

  constructor(budgetMs: number = PROVIDER_BUDGET_MS, arrival: Arrival | undefined = requestArrival()) {
    const left = Math.max(0, budgetMs - sinceArrival(arrival));
    this.endsAt = performance.now() + left;
    this.timer = setTimeout(() => this.controller.abort(), left);
    this.timer.unref?.();
    if (left === 0) this.controller.abort();
  }

  /** Aborts whatever provider request is still in flight when the budget runs out. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  /** Called once the answer is decided: nothing in flight survives it. */
  end(): void {
    clearTimeout(this.timer);
    this.controller.abort();
  }
}

/** Every other function keeps the default timeout. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;

export function functionTimeoutSeconds(sends: boolean): number {
  return sends ? SENDING_FUNCTION_TIMEOUT_SECONDS : DEFAULT_FUNCTION_TIMEOUT_SECONDS;
}
