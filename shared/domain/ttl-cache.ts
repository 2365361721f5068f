import type { Clock } from '../ports/clock.ts';

/**
 * Configuration (stores, gateways, credentials) kept in the warm process for a short time, so the hot
 * paths do not re-read it on every request. `maxAgeMs` 0 disables caching (local mode, where an admin
 * change should apply at once).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.maxAgeMs <= 0) return load();
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = load();
    this.entries.set(key, { value, until: now + this.maxAgeMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
