import type { SendFailureKind } from '../../ports/sms-sender.ts';
import { formPost, HttpProviderSender, providerFailure, withoutPlus } from './http-provider-sender.ts';
import type { ProviderApi } from './http-provider-sender.ts';
import { failureKindForStatus, providerUrl, type ProviderHttp } from './provider-http.ts';

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

export class VonageSender extends HttpProviderSender {
  constructor(http: ProviderHttp) {
    super(http, vonageApi);
  }
}
