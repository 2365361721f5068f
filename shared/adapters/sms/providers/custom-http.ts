import { createHmac } from 'node:crypto';
import { withinTolerance, type ReceiptKind, type ReceiptPrice } from '../../../domain/deliveries/receipt.ts';
import { toMillionths } from '../../../domain/fraud/spend.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../domain/deliveries/send-record.ts';
import {
  DEFAULT_BODY_TEMPLATE,
  type GatewayCredentials,
  type GatewayRecord,
} from '../../../domain/gateways/gateway.ts';
import { SendFailure, type OutboundSms } from '../../../ports/sms-sender.ts';
import {
  basicAuth,
  failureKindForStatus,
  isSuccess,
  providerFailure,
  providerUrl,
  type ProviderApi,
} from '../provider-api.ts';
import { defineProvider } from './define-provider.ts';
import { sameSignature } from './receipt-fields.ts';

export const TIMESTAMP_HEADER = 'X-Sms-Mfa-Timestamp';
export const SIGNATURE_HEADER = 'X-Sms-Mfa-Signature';

const PLACEHOLDER = /\{(to|message|from|accountId|channel)\}/g;
const BODY_EXCERPT_CHARS = 120;

/**
 * The user's own gateway: `POST gateway.url` with `content-type: application/json` and the body
 * `gateway.bodyTemplate` (default `{"to":"{to}","message":"{message}"}`), where `{to}`, `{message}`,
 * `{from}`, `{accountId}` and `{channel}` (`sms` or `voice`: for a call `{message}` is the spoken text) are replaced by the values JSON-string-escaped, so they belong inside
 * quoted strings. Substitution is a single pass: a value that contains `{message}` stays literal.
 *
 * Authentication by `gateway.authScheme`:
 * - `none` (or unset): no credentials.
 * - `basic`: `Authorization: Basic base64(username:password)`.
 * - `bearer`: `Authorization: Bearer <password>`.
 * - `hmac-sha256`: `X-Sms-Mfa-Timestamp: <unix seconds>` and
 *   `X-Sms-Mfa-Signature: sha256=<hex HMAC-SHA256 keyed with the password over "<timestamp>.<body>">`,
 *   the body being the exact bytes sent. Receivers recompute the HMAC over the raw body, compare it in
 *   constant time, and reject timestamps more than 5 minutes old (or in the future) to stop replays.
 *
 * Any 2xx is success; the message id is the answer's JSON `id`, `messageId` or `message_id` (string or
 * number), else `custom-<milliseconds>`. Other statuses map through {@link failureKindForStatus}.
 * `now` (milliseconds since the epoch) dates the signature and the fallback message ids.
 */
function customHttpApi(now: () => number): ProviderApi {
  return {
    request({ gateway, credentials, sms }) {
      const url = providerUrl(gateway);
      const body = withCallbackUrl(
        renderBody(gateway.bodyTemplate ?? DEFAULT_BODY_TEMPLATE, {
          to: sms.to,
          message: sms.body,
          from: gateway.from ?? '',
          accountId: gateway.accountId ?? '',
          channel: sms.channel ?? 'sms',
        }),
        sms.callbackUrl,
      );
      return {
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...authHeaders(gateway, credentials, body, now()),
        },
        body,
      };
    },

    answer(response, { credentials, sms }) {
      if (isSuccess(response.status)) {
        return { providerMessageId: messageIdOf(response.json) ?? `custom-${now()}` };
      }
      const excerpt = scrub(response.text, sms, credentials).trim().slice(0, BODY_EXCERPT_CHARS);
      throw providerFailure(
        failureKindForStatus(response.status),
        `Custom gateway HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
      );
    },
  };
}

/** Fills the template in one pass; each value is escaped as the inside of a JSON string. */
export function renderBody(
  template: string,
  values: Record<'to' | 'message' | 'from' | 'accountId' | 'channel', string>,
): string {
  const body = template.replace(PLACEHOLDER, (_match, name: keyof typeof values) =>
    JSON.stringify(values[name]).slice(1, -1),
  );
  try {
    JSON.parse(body);
  } catch {
    throw new SendFailure(
      'rejected',
      'the body template is not JSON once filled in (put the placeholders inside strings)',
    );
  }
  return body;
}

/** The receipt address as the body's `callbackUrl` field, unless the template already has one. */
function withCallbackUrl(body: string, callbackUrl: string | undefined): string {
  if (!callbackUrl) return body;
  const json = JSON.parse(body) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || 'callbackUrl' in json) return body;
  return JSON.stringify({ ...json, callbackUrl });
}

function authHeaders(
  gateway: GatewayRecord,
  credentials: GatewayCredentials,
  body: string,
  now: number,
): Record<string, string> {
  const scheme = gateway.authScheme ?? 'none';
  if (scheme === 'none') return {};
  const secret = credentials.password;
  if (!secret) throw new SendFailure('auth', `no password is stored for ${scheme} authentication`);
  switch (scheme) {
    case 'basic':
      return { authorization: basicAuth(gateway.username ?? '', secret) };
    case 'bearer':
      return { authorization: `Bearer ${secret}` };
    case 'hmac-sha256': {
      const timestamp = String(Math.floor(now / 1000));
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${signature}` };
    }
  }
}

function messageIdOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const fields = json as Record<string, unknown>;
  for (const key of ['id', 'messageId', 'message_id']) {
    const value = fields[key];
    if ((typeof value === 'string' && value) || (typeof value === 'number' && Number.isFinite(value))) {
      return String(value);
    }
  }
  return undefined;
}

/** A gateway may echo the request: drop the number, the message, the secret and any code-like digit run. */
function scrub(text: string, sms: OutboundSms, credentials: GatewayCredentials): string {
  let scrubbed = text;
  const secrets = [sms.body, JSON.stringify(sms.body).slice(1, -1), sms.to, sms.to.replace(/^\+/, '')];
  if (credentials.password) secrets.push(credentials.password);
  for (const secret of secrets) if (secret) scrubbed = scrubbed.replaceAll(secret, '…');
  return scrubbed.replace(/\d{4,}/g, '…');
}

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
    const price = receiptPrice(params.price);
    return { messageId: params.messageId, status, ...(price ? { price } : {}) };
  },
};

/** `price?`: a number in the store's currency (api.md "Wave 3: exact rules", Usage); anything else is ignored. */
function receiptPrice(value: string | undefined): ReceiptPrice | undefined {
  if (value === undefined || !/^\d{1,9}(\.\d{1,6})?$/.test(value)) return undefined;
  return { amount: toMillionths(Number(value)) };
}

export const customHttp = defineProvider('custom-http', {
  transport: { kind: 'http', api: customHttpApi },
  receipts: customHttpReceipts,
});
