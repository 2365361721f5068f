import type { Clock } from '../ports/clock.ts';
import type { Random } from '../ports/random.ts';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31];
  return out;
}

/**
 * `<prefix>_<time><random>`: a 48-bit millisecond timestamp first, so ids sort by creation time and
 * lists come back oldest first; 80 random bits after it make ids unguessable.
 */
export function newId(prefix: string, clock: Clock, random: Random): string {
  const time = Buffer.alloc(6);
  time.writeUIntBE(clock.now().getTime(), 0, 6);
  return `${prefix}_${base32(Buffer.concat([time, random.bytes(10)]))}`;
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
