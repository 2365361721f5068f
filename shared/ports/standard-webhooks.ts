/** The headers a Standard Webhooks signature covers, as received. */
export interface SignedHeaders {
  id: string;
  timestamp: string;
  /** One or more `v1,<base64>` entries, space-separated. */
  signature: string;
}

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/): `v1,<base64 HMAC-SHA256>` keyed by
 * the base64 part of a `whsec_` secret over `<id>.<timestamp>.<body>`. A port so that the spec's library
 * is bundled only into the functions that sign webhooks or verify hooks.
 */
export interface StandardWebhooks {
  sign(secret: string, id: string, timestampSeconds: number, body: string): string;
  /** Whether one of the listed signatures is `secret`'s; how old the timestamp may be is the caller's rule. */
  verify(secret: string, headers: SignedHeaders, body: string): boolean;
}
