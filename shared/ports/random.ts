import { randomBytes, randomInt } from 'node:crypto';

/** Injected so ids and codes are reproducible in tests; production uses the CSPRNG. */
export interface Random {
  bytes(size: number): Buffer;
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

export const cryptoRandom: Random = {
  bytes: (size) => randomBytes(size),
  int: (max) => randomInt(max),
};

/**
 * A repeatable generator (mulberry32) for draws that need no secrecy: local mode's `ROUTING_SEED`
 * exploration draws, simulations and tests. Never for codes, ids or keys.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (max) => Math.floor(next() * max),
    bytes: (size) => Buffer.from(Array.from({ length: size }, () => Math.floor(next() * 256))),
  };
}
