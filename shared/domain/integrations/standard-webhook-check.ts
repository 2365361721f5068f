import type { StandardWebhooks } from '../../ports/standard-webhooks.ts';

/** Standard Webhooks: a signature older (or newer) than this is refused, whatever it signs. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

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
