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

/**
 * The one shape of every versioned change: read the current item, hold it to `If-Match` (as `what`),
 * change it, and retry on fresh state when another writer won a race the caller did not pin.
 */
export function changeVersioned<T extends { version: number }, R>(
  ifMatch: number | undefined,
  what: string,
  read: () => Promise<T>,
  change: (current: T) => Promise<R>,
): Promise<R> {
  return withVersionRetry(ifMatch, async () => {
    const current = await read();
    if (ifMatch !== undefined && current.version !== ifMatch) throw new VersionMismatch(what);
    return change(current);
  });
}
