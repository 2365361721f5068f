import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import {
  SendFailure,
  type OutboundSms,
  type SendResult,
  type SmsSender,
  type SendOptions,
} from '../../ports/sms-sender.ts';
import {
  basicAuth,
  failureKindForStatus,
  providerUrl,
  sanitizeReason,
  type ProviderHttp,
} from './provider-http.ts';

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
export class PlivoSender implements SmsSender {
  constructor(private readonly http: ProviderHttp) {}

  async send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    sms: OutboundSms,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const response = await this.http.send(gateway, credentials, options, {
      method: 'POST',
      url: providerUrl(gateway),
      headers: {
        authorization: basicAuth(gateway.accountId ?? '', credentials.password ?? ''),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        src: withoutPlus(gateway.from ?? ''),
        dst: withoutPlus(sms.to),
        text: sms.body,
      }),
    });
    const body = (response.json ?? {}) as { message_uuid?: unknown; error?: unknown };
    const uuid = Array.isArray(body.message_uuid) ? (body.message_uuid[0] as unknown) : undefined;
    if (response.status >= 200 && response.status < 300 && typeof uuid === 'string' && uuid) {
      return { providerMessageId: uuid };
    }
    const error = typeof body.error === 'string' ? body.error : undefined;
    const reason = sanitizeReason(
      `Plivo ${response.status}: ${error ?? (response.text || 'no message uuid')}`,
    );
    const kind =
      response.status === 400 && error && INVALID_NUMBER_ERROR.test(error)
        ? 'invalid-number'
        : response.status >= 200 && response.status < 300
          ? 'rejected'
          : failureKindForStatus(response.status);
    throw new SendFailure(kind, reason);
  }
}

/** Plivo wants phone numbers as country code and digits; alphanumeric sender IDs pass unchanged. */
function withoutPlus(value: string): string {
  return /^\+\d+$/.test(value) ? value.slice(1) : value;
}
