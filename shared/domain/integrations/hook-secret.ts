import { timingSafeEqual } from 'node:crypto';
import type { Random } from '../../ports/random.ts';
import type { SecretValue } from '../../ports/secret-store.ts';
import type { HookKind } from './integration.ts';

/** api.md: a rotated secret keeps working for 24 hours beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60_000;

const SECRET_BYTES = 32;
const WHSEC = 'v1,whsec_';

/** As stored: the current secret, and the one it replaced until its overlap ends. */
export interface HookSecrets {
  current: string;
  previous?: string;
  previousUntil?: number;
}

/** A new secret in the form the identity provider is configured with. */
export function newHookSecret(kind: HookKind, random: Random): string {
  const bytes = random.bytes(SECRET_BYTES);
  return kind === 'supabase' ? `${WHSEC}${bytes.toString('base64')}` : bytes.toString('base64url');
}

export function rotated(secrets: HookSecrets, next: string, now: number): HookSecrets {
  return { current: next, previous: secrets.current, previousUntil: now + SECRET_OVERLAP_MS };
}

/** The secrets a request may be authenticated with at `now`. */
export function liveSecrets(secrets: HookSecrets, now: number): string[] {
  const previous =
    secrets.previous && secrets.previousUntil !== undefined && secrets.previousUntil > now
      ? [secrets.previous]
      : [];
  return [secrets.current, ...previous];
}

export const toSecretValue = (secrets: HookSecrets): SecretValue => ({
  current: secrets.current,
  ...(secrets.previous ? { previous: secrets.previous } : {}),
  ...(secrets.previousUntil !== undefined ? { previousUntil: String(secrets.previousUntil) } : {}),
});

export function fromSecretValue(value: SecretValue | undefined): HookSecrets | undefined {
  if (!value?.current) return undefined;
  return {
    current: value.current,
    ...(value.previous ? { previous: value.previous } : {}),
    ...(value.previousUntil ? { previousUntil: Number(value.previousUntil) } : {}),
  };
}

function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Lengths leak nothing here: every secret of a kind has the same length.
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `Authorization: Bearer <secret>` (okta, kratos, auth0). */
export function bearerMatches(authorization: string | undefined, secrets: string[]): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return false;
  // Every candidate is compared, so the time taken does not say which one matched.
  return secrets.map((secret) => equalInConstantTime(match[1]!, secret)).some(Boolean);
}
