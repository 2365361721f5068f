import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented signature with the expected one in constant time, whatever its length. */
export function sameSignature(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Sorted by name (then value), as the providers that sign parameters sort them. */
export function sortedEntries(params: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(params).sort(([a, x], [b, y]) =>
    a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0,
  );
}
