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
