import { createHmac } from 'node:crypto';
import { withinTolerance, type ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../domain/deliveries/send-record.ts';
import { sameSignature } from './receipt-fields.ts';

/**
 * custom-http receipts (api.md "Delivery receipts"): `X-Sms-Mfa-Timestamp: <unix seconds>` and
 * `X-Sms-Mfa-Signature: sha256=<hex HMAC-SHA256(callbackSecret, "<timestamp>.<raw body>")>`, the
 * timestamp within 5 minutes; the body `{ messageId, status, errorCode? }`.
 */
export function customHttpReceiptSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

export const customHttpReceipts: ReceiptKind = {
  verify: ({ headers, rawBody }, secret, nowMs) => {
    const timestamp = headers['x-sms-mfa-timestamp'];
    if (!withinTolerance(timestamp, nowMs)) return false;
    return sameSignature(
      headers['x-sms-mfa-signature'],
      customHttpReceiptSignature(secret, timestamp as string, rawBody),
    );
  },
  parse: ({ params }) => {
    if (!params.messageId) return undefined;
    const status = (DELIVERY_STATUSES as readonly string[]).includes(params.status ?? '')
      ? (params.status as DeliveryStatus)
      : null;
    return { messageId: params.messageId, status };
  },
};
