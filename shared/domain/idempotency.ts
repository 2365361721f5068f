import type { Clock } from '../ports/clock.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/** Where idempotency records live. */
export interface IdempotencyRecords {
  claimIdempotencyKey(
    storeId: string,
    key: string,
    fingerprint: string,
    now: number,
  ): Promise<IdempotencyClaim>;
  completeIdempotencyKey(storeId: string, key: string, response: StoredResponse): Promise<void>;
  releaseIdempotencyKey(storeId: string, key: string): Promise<void>;
}
import { Conflict } from './errors.ts';

/**
 * `Idempotency-Key`: the first request with a key runs and its answer is kept for 10 minutes; a repeat
 * gets that answer and sends nothing. A failed first request releases the key so a retry runs again.
 */
export class Idempotency {
  constructor(
    private readonly repository: IdempotencyRecords,
    private readonly clock: Clock,
  ) {}

  async run(
    storeId: string,
    key: string | undefined,
    fingerprint: string,
    produce: () => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    if (key === undefined) return produce();
    const claim = await this.repository.claimIdempotencyKey(
      storeId,
      key,
      fingerprint,
      this.clock.now().getTime(),
    );
    if (claim.kind === 'replay') return claim.response;
    if (claim.kind === 'in-progress')
      throw new Conflict('A request with this Idempotency-Key is still in progress.');
    if (claim.kind === 'mismatch')
      throw new Conflict('This Idempotency-Key was used for a different request.');
    let response: StoredResponse;
    try {
      response = await produce();
    } catch (error) {
      await this.repository.releaseIdempotencyKey(storeId, key);
      throw error;
    }
    await this.repository.completeIdempotencyKey(storeId, key, response);
    return response;
  }
}
