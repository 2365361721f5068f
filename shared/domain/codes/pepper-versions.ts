import { createHmac } from 'node:crypto';
import type { Random } from '../../ports/random.ts';

/**
 * The pepper secret's value. Rotation keeps the previous version beside the new one, so that codes sent
 * just before a rotation still verify, and keeps `keyPepper` (the key material of phone-number keys)
 * unchanged, so that rotation does not move a number's counters and pointers.
 */
export interface PepperSecret {
  pepper: string;
  version?: string;
  previousPepper?: string;
  previousVersion?: string;
  keyPepper?: string;
}

export interface PepperVersion {
  version: string;
  value: Buffer;
}

export interface PepperSet {
  current: PepperVersion;
  previous?: PepperVersion;
  /** Keys phone numbers in table keys (never the number itself). */
  keys: Buffer;
}

/** The pepper is rotated on this schedule (deployed); a rotation keeps the previous version for verification. */
export const PEPPER_ROTATION_DAYS = 30;

/** Any string of at least 32 characters: CDK generates one, local mode and rotation write 32 random bytes. */
const MIN_PEPPER_LENGTH = 32;

function pepperValue(text: string | undefined, what: string): Buffer {
  const value = Buffer.from(text ?? '', 'utf8');
  if (value.length < MIN_PEPPER_LENGTH)
    throw new Error(`the pepper secret holds a ${what} shorter than 32 characters`);
  return value;
}

export function pepperSet(secret: PepperSecret): PepperSet {
  const current = { version: secret.version ?? '1', value: pepperValue(secret.pepper, 'pepper') };
  return {
    current,
    ...(secret.previousPepper
      ? {
          previous: {
            version: secret.previousVersion ?? '1',
            value: pepperValue(secret.previousPepper, 'previous pepper'),
          },
        }
      : {}),
    keys: secret.keyPepper ? pepperValue(secret.keyPepper, 'key pepper') : current.value,
  };
}

/** The next version: a new pepper, the current one kept as previous, the key material carried over. */
export function nextPepperSecret(current: PepperSecret, random: Random): PepperSecret {
  const set = pepperSet(current);
  return {
    pepper: random.bytes(32).toString('base64'),
    version: String(Number(set.current.version) + 1),
    previousPepper: current.pepper,
    previousVersion: set.current.version,
    keyPepper: current.keyPepper ?? current.pepper,
  };
}

/** How a phone number appears in table keys: an HMAC of it, so keys, logs of keys and IAM conditions hold no number. */
export function phoneKey(keys: Buffer, phone: string): string {
  return createHmac('sha256', keys).update(`phone\n${phone}`).digest('base64url').slice(0, 32);
}
