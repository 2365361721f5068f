import { createHmac } from 'node:crypto';
import type { ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import {
  basicAuth,
  isSuccess,
  jsonPost,
  kindForAnswer,
  providerFailure,
  providerUrl,
  withoutPlus,
  type ProviderApi,
} from '../provider-api.ts';
import { defineProvider } from './define-provider.ts';
import { finalStatus, sameSignature, sortedEntries } from './receipt-fields.ts';

/**
 * Plivo answers a send to an invalid or non-SMS-enabled destination with 400 and an `error` such as
 * "<number> is not a valid phone number" (Plivo, "Destination Number Validation").
 */
const INVALID_NUMBER_ERROR = /is not an? (valid|sms[- ]enabled) phone number/i;

/**
 * Plivo Messaging API, "Send a message" (plivo.com/docs/messaging/api/message/send-a-message) and
 * "API responses" (plivo.com/docs/messaging/api/response): POST
 * https://api.plivo.com/v1/Account/{auth_id}/Message/, HTTP Basic auth (Auth ID : Auth token), JSON
 * `{ src, dst, text }` with numbers as country code and digits (no +); 202 with
 * `{ api_id, message: "message(s) queued", message_uuid: [...] }`, errors as `{ api_id, error }` with
 * 400 (invalid parameter or destination), 401 (authentication failed), 429 (rate limited), 500.
 */
const plivoApi: ProviderApi = {
  request({ gateway, credentials, sms }) {
    return jsonPost(
      providerUrl(gateway),
      { authorization: basicAuth(gateway.accountId ?? '', credentials.password ?? '') },
      {
        src: withoutPlus(gateway.from ?? ''),
        dst: withoutPlus(sms.to),
        text: sms.body,
        ...(sms.callbackUrl ? { url: sms.callbackUrl, method: 'POST' } : {}),
      },
    );
  },

  answer(response) {
    const body = (response.json ?? {}) as { message_uuid?: unknown; error?: unknown };
    const uuid = Array.isArray(body.message_uuid) ? (body.message_uuid[0] as unknown) : undefined;
    if (isSuccess(response.status) && typeof uuid === 'string' && uuid) return { providerMessageId: uuid };
    const error = typeof body.error === 'string' ? body.error : undefined;
    const kind =
      response.status === 400 && error && INVALID_NUMBER_ERROR.test(error)
        ? 'invalid-number'
        : kindForAnswer(response.status);
    throw providerFailure(kind, `Plivo ${response.status}: ${error ?? (response.text || 'no message uuid')}`);
  },
};

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

export const plivo = defineProvider('plivo', {
  transport: { kind: 'http', api: () => plivoApi },
  receipts: plivoReceipts,
});
