import { Webhook } from 'standardwebhooks';
import type { SignedHeaders, StandardWebhooks } from '../../ports/standard-webhooks.ts';

/** Supabase shows its hook secrets as `v1,whsec_<base64>`; the library takes `whsec_<base64>`. */
const librarySecret = (secret: string) => secret.replace(/^v1,/, '');

/**
 * The library's `verify` also checks the timestamp against `Date.now()`. The domain has already judged
 * it against the injected clock (hook-secret.ts), so this instance takes the header's time as it is;
 * everything else (header parsing, the constant-time comparison) is the library's.
 */
function verifierFor(secret: string): Webhook {
  const webhook = new Webhook(librarySecret(secret));
  Object.defineProperty(webhook, 'verifyTimestamp', {
    value: (header: string) => new Date(Number(header) * 1000),
  });
  return webhook;
}

/** Standard Webhooks through the spec's own library (standardwebhooks). */
export const standardWebhooks: StandardWebhooks = {
  sign: (secret, id, timestampSeconds, body) =>
    new Webhook(librarySecret(secret)).sign(id, new Date(timestampSeconds * 1000), body),

  verify: (secret, headers: SignedHeaders, body) => {
    try {
      verifierFor(secret).verify(
        body,
        {
          'webhook-id': headers.id,
          'webhook-timestamp': headers.timestamp,
          'webhook-signature': headers.signature,
        },
        { jsonParse: false },
      );
      return true;
    } catch {
      // A wrong signature, or a secret that is not base64: either way not signed by it.
      return false;
    }
  },
};
