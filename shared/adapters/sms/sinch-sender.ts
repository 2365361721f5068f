import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import {
  SendFailure,
  type OutboundSms,
  type SendResult,
  type SmsSender,
  type SendOptions,
} from '../../ports/sms-sender.ts';
import { failureKindForStatus, providerUrl, sanitizeReason, type ProviderHttp } from './provider-http.ts';

/**
 * Sinch error codes that concern the recipient: 400 `syntax_invalid_parameter_format` ("for example,
 * if a MSISDN (phone number) is not correctly formatted") and 403 `illegal_number_type` ("Illegal
 * phone number type of MSISDN for a chosen region … Send to a different MSISDN").
 */
const INVALID_NUMBER_CODES = new Set(['syntax_invalid_parameter_format', 'illegal_number_type']);

/**
 * Sinch SMS REST API, "Batches › Send" (developers.sinch.com/docs/sms/api-reference/sms/tag/Batches)
 * and "HTTP Status Codes for the SMS REST API" (developers.sinch.com/docs/sms/api-reference/status-codes):
 * POST https://{region}.sms.api.sinch.com/xms/v1/{service_plan_id}/batches, `Authorization: Bearer
 * <API token>`, JSON `{ from, to: ["+E.164"], body }`; 201 with the batch `id`; 400 and 403 carry
 * `{ code, text }` (e.g. syntax_invalid_parameter_format, blocked_account), 401 is an unknown token.
 */
export class SinchSender implements SmsSender {
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
        authorization: `Bearer ${credentials.password ?? ''}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      // `from` may be left out when the service plan has an Automatic Default Originator.
      body: JSON.stringify({ ...(gateway.from ? { from: gateway.from } : {}), to: [sms.to], body: sms.body }),
    });
    const body = (response.json ?? {}) as { id?: unknown; code?: unknown; text?: unknown };
    if (response.status >= 200 && response.status < 300 && typeof body.id === 'string' && body.id) {
      return { providerMessageId: body.id };
    }
    const code = typeof body.code === 'string' ? body.code : undefined;
    const text = typeof body.text === 'string' ? body.text : undefined;
    const reason = sanitizeReason(
      `Sinch ${response.status}${code ? ` ${code}` : ''}: ${text ?? (response.text || 'no batch id')}`,
    );
    const kind =
      code && INVALID_NUMBER_CODES.has(code)
        ? 'invalid-number'
        : response.status >= 200 && response.status < 300
          ? 'rejected'
          : failureKindForStatus(response.status);
    throw new SendFailure(kind, reason);
  }
}
