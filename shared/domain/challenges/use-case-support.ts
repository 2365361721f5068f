import { Conflict, TooManyAttempts, Unauthorized } from '../errors.ts';
import type { FactorRecord } from '../factors/factor.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';

/** A send re-reads and decides again this many times when another request changed its state meanwhile. */
export const MAX_STALE_RETRIES = 3;

export function staleConflict(): Conflict {
  return new Conflict('Another request changed this challenge at the same moment; retry.');
}

export function assertNotLocked(factor: FactorRecord | undefined, now: number): void {
  if (factor?.lockedUntil && factor.lockedUntil > now) {
    throw new TooManyAttempts(
      'The SMS factor is locked after repeated failures.',
      (factor.lockedUntil - now) / 1000,
    );
  }
}

export async function requireStore(
  stores: { get(id: string): Promise<IdentityStore | undefined> },
  storeId: string,
): Promise<IdentityStore> {
  const store = await stores.get(storeId);
  if (!store) throw new Unauthorized('The API key belongs to an identity store that no longer exists.');
  return store;
}
