import { createHash, createHmac } from 'node:crypto';
import { withinTolerance, type ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import { finalStatus, sameSignature, sortedEntries } from './receipt-fields.ts';

/**
 * Vonage SMS API signed webhooks, "Signing Messages"
 * (developer.vonage.com/en/getting-started/concepts/signing-messages): the `sig` parameter is computed
 * with the account's signature secret over every other parameter sorted by name, each as
 * `&name=value` with `&` and `=` in values replaced by `_`. The dashboard picks the algorithm: the
 * default "MD5 hash" is md5(that string + secret); the HMAC choices key the string with the secret.
 * Our gateway sends through the SMS API (rest.nexmo.com/sms/json), whose delivery receipts are these
 * (the Messages API's JWT callbacks are for another API). Signed requests carry `timestamp` (Unix
 * seconds), which must be within 5 minutes.
 */
export function vonageSignatureBase(params: Readonly<Record<string, string>>): string {
  return sortedEntries(params)
    .filter(([name]) => name !== 'sig')
    .map(([name, value]) => `&${name}=${value.replace(/[&=]/g, '_')}`)
    .join('');
}

const ALGORITHMS = {
  md5hash: (base: string, secret: string) =>
    createHash('md5')
      .update(base + secret)
      .digest('hex'),
  md5: (base: string, secret: string) => createHmac('md5', secret).update(base).digest('hex'),
  sha1: (base: string, secret: string) => createHmac('sha1', secret).update(base).digest('hex'),
  sha256: (base: string, secret: string) => createHmac('sha256', secret).update(base).digest('hex'),
  sha512: (base: string, secret: string) => createHmac('sha512', secret).update(base).digest('hex'),
};

export function vonageSignature(
  secret: string,
  params: Readonly<Record<string, string>>,
  algorithm: keyof typeof ALGORITHMS = 'md5hash',
): string {
  return ALGORITHMS[algorithm](vonageSignatureBase(params), secret);
}

export const vonageReceipts: ReceiptKind = {
  verify: ({ params }, secret, nowMs) => {
    if (!withinTolerance(params.timestamp, nowMs)) return false;
    // Vonage writes hex in either case; whichever algorithm the account chose must match.
    const presented = params.sig?.toLowerCase();
    return Object.keys(ALGORITHMS).some((algorithm) =>
      sameSignature(presented, vonageSignature(secret, params, algorithm as keyof typeof ALGORITHMS)),
    );
  },
  parse: ({ params }) => {
    const messageId = params.messageId ?? params['message-id'];
    if (!messageId) return undefined;
    return { messageId, status: finalStatus(params.status) };
  },
};
