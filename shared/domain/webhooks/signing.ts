import type { StandardWebhooks } from '../../ports/standard-webhooks.ts';

/**
 * The three headers of one attempt, signed as Standard Webhooks has it (spec "Signature scheme");
 * `webhook-signature` lists one signature per signing secret, space-separated.
 */
export function webhookHeaders(
  signer: StandardWebhooks,
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signer.sign(secret, id, timestamp, body)).join(' '),
  };
}
