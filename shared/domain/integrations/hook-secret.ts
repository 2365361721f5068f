import { timingSafeEqual } from 'node:crypto';
import type { Random } from '../../ports/random.ts';
import type { SecretValue } from '../../ports/secret-store.ts';
import type { StandardWebhooks } from '../../ports/standard-webhooks.ts';
import type { HookKind } from './integration.ts';

/** api.md: a rotated secret keeps working for 24 hours beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60_000;
/** Standard Webhooks: a signature older (or newer) than this is refused, whatever it signs. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

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

export interface StandardWebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Standard Webhooks (https://www.standardwebhooks.com/, the scheme of Supabase's auth hooks): any listed
 * `v1,<base64>` entry may match, checked by `signatures` (the spec's library); the timestamp (seconds)
 * must be within 5 minutes of `now`.
 */
export function standardWebhookMatches(
  headers: StandardWebhookHeaders,
  rawBody: string,
  secrets: string[],
  now: number,
  signatures: StandardWebhooks,
): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp) * 1000) > SIGNATURE_TOLERANCE_MS) return false;
  const signed = { id, timestamp, signature: signatureList(signature) };
  // Every secret is tried, so the time taken does not say which one matched.
  return secrets.map((secret) => signatures.verify(secret, signed, rawBody)).some(Boolean);
}

/**
 * The spec lists signatures space-separated; Supabase joins a rotation's two with `, `. base64 has no
 * comma, so a trailing one only separates entries.
 */
function signatureList(header: string): string {
  return header
    .split(/\s+/)
    .map((entry) => entry.replace(/,$/, ''))
    .filter(Boolean)
    .join(' ');
}
