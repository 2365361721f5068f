import {
  HttpProviderSender,
  isSuccess,
  jsonPost,
  kindForAnswer,
  providerFailure,
  withoutPlus,
} from './http-provider-sender.ts';
import type { ProviderApi } from './http-provider-sender.ts';
import { basicAuth, providerUrl, type ProviderHttp } from './provider-http.ts';

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

export class PlivoSender extends HttpProviderSender {
  constructor(http: ProviderHttp) {
    super(http, plivoApi);
  }
}
