/** An answer as it went out: replays repeat it byte for byte. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

export interface IdempotencyClaimRequest {
  storeId: string;
  key: string;
  fingerprint: string;
  now: number;
  /** Until when the record replays (epoch ms). */
  expiresAt: number;
  /** Until when an unfinished claim blocks the key (epoch ms); after it, a crashed first request no longer does. */
  leaseUntil: number;
}

/** Idempotency records, one per store and key. */
export interface IdempotencyStore {
  /** The first caller claims the key; later callers learn what the record holds. */
  claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim>;
  complete(storeId: string, key: string, response: StoredResponse): Promise<void>;
  release(storeId: string, key: string): Promise<void>;
}
