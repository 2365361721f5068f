import type { Clock } from '../ports/clock.ts';

/**
 * api.md "Refusals are cheap": a request with a wrong signature or secret forces at most one fresh
 * secret read per integration or gateway in this time; others are judged against the cached secret.
 */
export const FRESH_READ_INTERVAL_MS = 60_000;

/** Past this many remembered reads, those older than the interval are forgotten. */
const REMEMBERED = 1_000;

/**
 * Rations the fresh secret reads a refusal may cause (a secret rotated moments ago is then seen within
 * the interval, and junk requests cost no secret reads). One per process, as the secret cache is.
 */
export class FreshReads {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = FRESH_READ_INTERVAL_MS,
  ) {}

  /** Whether a fresh read of this secret may happen now; if so, it is counted. */
  take(key: string): boolean {
    const now = this.clock.now().getTime();
    const last = this.last.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (this.last.size >= REMEMBERED) {
      for (const [known, at] of this.last) if (now - at >= this.intervalMs) this.last.delete(known);
    }
    this.last.set(key, now);
    return true;
  }
}
