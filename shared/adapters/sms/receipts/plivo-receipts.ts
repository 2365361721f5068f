import { createHmac } from 'node:crypto';
import type { ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import { finalStatus, sameSignature, sortedEntries } from './receipt-fields.ts';

/**
 * Plivo's `X-Plivo-Signature-V3` with `X-Plivo-Signature-V3-Nonce` (plivo.com/docs/messaging/concepts/
 * signature-validation; the SDKs' validateV3Signature): base64 of HMAC-SHA256 keyed with the Auth Token
 * over `<url>.<nonce>`, where for a POST with parameters the URL is the address without its query, `?`,
 * the query's parameters sorted as `name=value` joined by `&` and then `.` (only if there is a query),
 * then every POST parameter sorted by name as name + value. The header may list several signatures,
 * comma-separated (one per token during a rotation).
 */
export function plivoV3Signature(
  authToken: string,
  url: string,
  nonce: string,
  params: Readonly<Record<string, string>>,
): string {
  const parsed = new URL(url);
  const base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  const query = sortedEntries(Object.fromEntries(parsed.searchParams))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const body = sortedEntries(params)
    .map(([name, value]) => name + value)
    .join('');
  const hasParams = Object.keys(params).length > 0;
  const signedUrl = hasParams
    ? `${base}?${query}${query ? '.' : ''}${body}`
    : `${base}${query ? `?${query}` : ''}`;
  return createHmac('sha256', authToken).update(`${signedUrl}.${nonce}`, 'utf8').digest('base64');
}

export const plivoReceipts: ReceiptKind = {
  verify: ({ headers, url, params }, authToken) => {
    const nonce = headers['x-plivo-signature-v3-nonce'];
    const presented = headers['x-plivo-signature-v3'];
    if (!nonce || !presented) return false;
    const expected = plivoV3Signature(authToken, url, nonce, params);
    return presented.split(',').some((signature) => sameSignature(signature.trim(), expected));
  },
  parse: ({ params }) => {
    const messageId = params.MessageUUID;
    if (!messageId) return undefined;
    return { messageId, status: finalStatus(params.Status) };
  },
};
