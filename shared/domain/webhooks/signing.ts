import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signatures (https://github.com/standard-webhooks/standard-webhooks, spec
 * "Signature scheme"), computed by the spec's own library: `v1,` + base64 HMAC-SHA256, keyed by the
 * base64-decoded part of the secret after `whsec_`, over `{webhook-id}.{webhook-timestamp}.{body}`.
 * The library does no I/O, so the domain may call it.
 */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
}

/** The three headers of one attempt; `webhook-signature` lists one signature per signing secret. */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => sign(secret, id, timestamp, body)).join(' '),
  };
}
