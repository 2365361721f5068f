import { VersionMismatch } from './errors.ts';

/**
 * Read-modify-write with optimistic locking. With `If-Match` the caller asked for exactly that version,
 * so a mismatch is theirs to see; without it, a lost race is retried on fresh state.
 */
export async function withVersionRetry<T>(
  ifMatch: number | undefined,
  operation: () => Promise<T>,
): Promise<T> {
  const attempts = ifMatch === undefined ? 8 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof VersionMismatch) || attempt >= attempts) throw error;
    }
  }
}
