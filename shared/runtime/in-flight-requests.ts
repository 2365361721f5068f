import type { SweepAgain } from '../ports/store-items.ts';

/**
 * The requests the local server is answering right now. Locally the second sweep of a deleted store
 * need not wait a fixed time as deployed: the server knows when every request that could still write
 * for the store has answered.
 */
export class InFlightRequests {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `answer`, counting it as in flight until it settles. */
  async track<T>(answer: () => Promise<T>): Promise<T> {
    const running = answer();
    this.running.add(running);
    try {
      return await running;
    } finally {
      this.running.delete(running);
    }
  }

  /** Settles once every request in flight now has answered (later requests are not waited for). */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

/** The one local server's requests (a process runs at most one). */
export const localRequests = new InFlightRequests();

/** Local mode: the store is swept again as soon as the requests in flight after its first pass have answered. */
export function sweepAfterInFlight(
  requests: InFlightRequests,
  sweep: (storeId: string) => Promise<number>,
  onError: (storeId: string, error: unknown) => void,
): SweepAgain {
  return {
    schedule: async (storeId) => {
      // Not awaited: the DELETE that scheduled this is itself one of the requests in flight.
      void requests
        .drained()
        .then(() => sweep(storeId))
        .catch((error: unknown) => onError(storeId, error));
    },
  };
}
