import type { Pepper } from '../../shared/domain/codes/pepper.ts';

/** A pepper that never rotates, for tests and the benchmark: its phone-key material is the pepper itself. */
export function fixedPepper(value: Buffer): Pepper {
  const set = { current: { version: '1', value }, keys: value };
  return { get: async () => value, versions: async () => set };
}
