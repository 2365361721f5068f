import { createHmac } from 'node:crypto';
import type { Random } from '../../ports/random.ts';

/** Uniform decimal digits from the CSPRNG (randomInt has no modulo bias). */
export function generateCode(random: Random, length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(random.int(10));
  return code;
}

/**
 * The only form in which a code is stored: HMAC-SHA-256 keyed by the pepper (held in the secret store,
 * never in the table) over the challenge id and the code, so a hash is useless for any other challenge
 * and a table dump cannot be brute-forced without the pepper.
 */
export function codeHash(pepper: Buffer, challengeId: string, code: string): string {
  return createHmac('sha256', pepper).update(`${challengeId}\n${code}`).digest('base64url');
}
