import type { Clock } from '../ports/clock.ts';
import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store.ts';
import { Conflict } from './errors.ts';

/** api.md: a repeat within 10 minutes returns the first answer. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60_000;
/** Above the longest a send may run (its 12 s deadline and the function timeout), so a live first request keeps its claim. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * `Idempotency-Key`: the first request with a key runs and its 2xx answer is kept for 10 minutes; a
 * repeat gets that answer, byte for byte, and sends nothing. A first request that fails (or answers
 * anything but 2xx) releases the key, so a retry runs again.
 */
export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  async run(
    storeId: string,
    key: string | undefined,
    fingerprint: string,
    produce: () => Promise<StoredResponse>,
  ): Promise<{ response: StoredResponse; replayed: boolean }> {
    if (key === undefined) return { response: await produce(), replayed: false };
    const now = this.clock.now().getTime();
    const claim = await this.store.claim({
      storeId,
      key,
      fingerprint,
      now,
      expiresAt: now + IDEMPOTENCY_WINDOW_MS,
      leaseUntil: now + IDEMPOTENCY_LEASE_MS,
    });
    if (claim.kind === 'replay') return { response: claim.response, replayed: true };
    if (claim.kind === 'in-progress')
      throw new Conflict('A request with this Idempotency-Key is still in progress.');
    if (claim.kind === 'mismatch')
      throw new Conflict('This Idempotency-Key was used for a different request.');
    let response: StoredResponse;
    try {
      response = await produce();
    } catch (error) {
      await this.store.release(storeId, key);
      throw error;
    }
    if (isSuccess(response.status)) await this.store.complete(storeId, key, response);
    else await this.store.release(storeId, key);
    return { response, replayed: false };
  }
}
