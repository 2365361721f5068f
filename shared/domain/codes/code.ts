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

/**
 * A test number's fixed code as its store keeps it: an HMAC with the phone-key material (which pepper
 * rotation leaves unchanged), bound to the store. A test challenge's hash is `codeHash` over this digest,
 * and verify hashes a submitted code's digest beside the code itself, so neither the table nor the
 * challenge holds a code that could be read back. A digest is never a string of digits, so it cannot
 * match a random code.
 */
export function testCodeDigest(keys: Buffer, storeId: string, code: string): string {
  return createHmac('sha256', keys).update(`test-code\n${storeId}\n${code}`).digest('base64url');
}
