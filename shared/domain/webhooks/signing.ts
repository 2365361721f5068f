import { createHmac } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from './webhook.ts';

/**
 * Standard Webhooks signatures (https://github.com/standard-webhooks/standard-webhooks, spec
 * "Signature scheme"): `v1,` + base64 HMAC-SHA256, keyed by the base64-decoded part of the secret after
 * `whsec_`, over `{webhook-id}.{webhook-timestamp}.{body}`.
 */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(
    secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret,
    'base64',
  );
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
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
