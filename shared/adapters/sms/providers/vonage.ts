import { createHash, createHmac } from 'node:crypto';
import { withinTolerance, type ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import type { SendFailureKind } from '../../../ports/sms-sender.ts';
import {
  failureKindForStatus,
  formPost,
  providerFailure,
  providerUrl,
  withoutPlus,
  type ProviderApi,
} from '../provider-api.ts';
import { defineProvider } from './define-provider.ts';
import { finalStatus, sameSignature, sortedEntries } from './receipt-fields.ts';

/**
 * What each documented non-zero `status` means for us. Codes not listed here (2 missing parameters,
 * 3 invalid parameters, 9 partner quota violation, 11 not enabled for HTTP, 12 message too long,
 * 15 invalid sender address, 22/23 invalid network code or callback URL, …) are 'rejected'.
 * 29 "Non-Whitelisted Destination" is an account in demo mode, not a bad number, so it stays 'rejected'.
 */
const STATUS_KINDS: Readonly<Record<string, SendFailureKind>> = {
  '1': 'throttled', // Throttled
  '4': 'auth', // Invalid Credentials
  '5': 'unavailable', // Internal Error
  '6': 'invalid-number', // Invalid Message: "for example, an unrecognized number prefix"
  '7': 'invalid-number', // Number Barred
  '8': 'auth', // Partner Account Barred (account suspended)
  '10': 'throttled', // Too Many Existing Binds: "back-off and retry"
  '33': 'invalid-number', // Number De-activated
};

/** The GSM 03.38 default alphabet and its extension table; anything else needs `type=unicode`. */
const GSM_7BIT =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\fÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

interface VonageMessage {
  status?: string;
  'message-id'?: string;
  'error-text'?: string;
}

/**
 * Vonage SMS API (legacy), "Send an SMS" (developer.vonage.com/en/api/sms, and the status table in
 * "Troubleshooting SMS", developer.vonage.com/en/messaging/sms/guides/troubleshooting-sms):
 * POST https://rest.nexmo.com/sms/json, form-encoded api_key, api_secret, from, to (E.164 without
 * the leading +), text, and type=unicode when the text is outside the GSM alphabet. The answer is
 * HTTP 200 with `{ "message-count", messages: [{ status, "message-id", "error-text" }] }`: status "0"
 * is accepted, any other status is a failure described by `error-text`.
 */
const vonageApi: ProviderApi = {
  request({ gateway, credentials, sms }) {
    const form = new URLSearchParams({
      api_key: gateway.username ?? '',
      api_secret: credentials.password ?? '',
      from: withoutPlus(gateway.from ?? ''),
      to: withoutPlus(sms.to),
      text: sms.body,
    });
    if (!GSM_7BIT.test(sms.body)) form.set('type', 'unicode');
    // The delivery receipt's webhook for this message (instead of the account's default one).
    if (sms.callbackUrl) form.set('callback', sms.callbackUrl);
    return formPost(providerUrl(gateway), {}, form);
  },

  answer(response) {
    const messages = (response.json as { messages?: unknown } | undefined)?.messages;
    const list: VonageMessage[] = Array.isArray(messages) ? (messages as VonageMessage[]) : [];
    const failed = list.find((message) => message.status !== '0');
    const messageId = list[0]?.['message-id'];
    if (response.status === 200 && list.length > 0 && !failed && messageId) {
      return { providerMessageId: messageId };
    }
    if (response.status === 200 && failed?.status) {
      // A non-zero status is Vonage's documented "not accepted", whatever its kind.
      throw providerFailure(
        STATUS_KINDS[failed.status] ?? 'rejected',
        `Vonage status ${failed.status}: ${failed['error-text'] ?? 'no error text'}`,
        'refused',
        failed.status,
      );
    }
    throw providerFailure(
      response.status === 200 ? 'rejected' : failureKindForStatus(response.status),
      `Vonage ${response.status}: ${response.text || 'no message status'}`,
    );
  },
};

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

export const vonage = defineProvider('vonage', {
  transport: { kind: 'http', api: () => vonageApi },
  receipts: vonageReceipts,
});
