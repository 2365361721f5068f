import type fc from 'fast-check';

/**
 * How hard the property tests dig. `npm test` runs a fixed seed at scale 1, so the suite is repeatable
 * and quick; `npm run fuzz` sets FUZZ_SEED=random and a larger FUZZ_SCALE. A failure prints its seed,
 * path and shrunk counterexample (fast-check's report); FUZZ_SEED=<seed> FUZZ_PATH=<path> with `-t` naming
 * that one property replays it.
 */
const FIXED_SEED = 20_261_206;

function seedFrom(value: string | undefined): number {
  if (value === undefined || value === '') return FIXED_SEED;
  if (value === 'random') return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", not ${value}`);
  return seed;
}

export const FUZZ_SEED = seedFrom(process.env.FUZZ_SEED);
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

if (process.env.FUZZ_SEED === 'random') {
  // Printed up front too: a run killed by its timeout reports nothing of its own.
  console.info(`fuzz: seed ${FUZZ_SEED}, scale ${FUZZ_SCALE} (replay: FUZZ_SEED=${FUZZ_SEED})`);
}

/** fast-check parameters: `numRuns` at scale 1, the seed, and a time limit that also bounds shrinking. */
export function fuzzParameters<T>(numRuns: number, timeLimitMs: number): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    path: FUZZ_PATH,
    numRuns: Math.ceil(numRuns * FUZZ_SCALE),
    interruptAfterTimeLimit: timeLimitMs * Math.max(1, FUZZ_SCALE),
  };
}
