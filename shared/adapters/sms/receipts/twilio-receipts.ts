import { createHmac } from 'node:crypto';
import type { ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import { finalStatus, sameSignature, sortedEntries } from './receipt-fields.ts';

/**
 * Twilio's `X-Twilio-Signature` (www.twilio.com/docs/usage/webhooks/webhooks-security): base64 of
 * HMAC-SHA1 keyed with the account's Auth Token over the full URL Twilio called followed by every POST
 * parameter, sorted by name, as name + value with no separators.
 */
export function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string>>) {
  const signed =
    url +
    sortedEntries(params)
      .map(([name, value]) => name + value)
      .join('');
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

export const twilioReceipts: ReceiptKind = {
  verify: (request, authToken) =>
    sameSignature(
      request.headers['x-twilio-signature'],
      twilioSignature(authToken, request.url, request.params),
    ),
  parse: ({ params }) => {
    const messageId = params.MessageSid ?? params.SmsSid;
    if (!messageId) return undefined;
    return { messageId, status: finalStatus(params.MessageStatus ?? params.SmsStatus) };
  },
};
