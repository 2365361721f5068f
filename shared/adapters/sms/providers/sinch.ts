import {
  isSuccess,
  jsonPost,
  kindForAnswer,
  providerFailure,
  providerUrl,
  type ProviderApi,
} from '../provider-api.ts';
import type { AddressedReceiptKind } from '../../../domain/deliveries/receipt.ts';
import type { DeliveryStatus } from '../../../domain/deliveries/send-record.ts';
import { defineProvider } from './define-provider.ts';
import { jsonBody } from './receipt-fields.ts';

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
const sinchApi: ProviderApi = {
  request({ gateway, credentials, sms }) {
    return jsonPost(
      providerUrl(gateway),
      { authorization: `Bearer ${credentials.password ?? ''}` },
      // `from` may be left out when the service plan has an Automatic Default Originator.
      {
        ...(gateway.from ? { from: gateway.from } : {}),
        to: [sms.to],
        body: sms.body,
        // One report per recipient, posted to the message's own receipt address.
        ...(sms.callbackUrl ? { delivery_report: 'per_recipient', callback_url: sms.callbackUrl } : {}),
      },
    );
  },

  answer(response) {
    const body = (response.json ?? {}) as { id?: unknown; code?: unknown; text?: unknown };
    if (isSuccess(response.status) && typeof body.id === 'string' && body.id) {
      return { providerMessageId: body.id };
    }
    const code = typeof body.code === 'string' ? body.code : undefined;
    const text = typeof body.text === 'string' ? body.text : undefined;
    const kind = code && INVALID_NUMBER_CODES.has(code) ? 'invalid-number' : kindForAnswer(response.status);
    const heading = `Sinch ${response.status}${code ? ` ${code}` : ''}`;
    throw providerFailure(kind, `${heading}: ${text ?? (response.text || 'no batch id')}`);
  },
};

/**
 * Sinch "Delivery report statuses" (developers.sinch.com/docs/sms/api-reference/sms/tag/Delivery-reports):
 * Delivered is final and good; Expired never reached the handset in time; Aborted, Cancelled, Rejected,
 * Deleted and Failed are final failures; Queued, Dispatched and Unknown are not final.
 */
const SINCH_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  delivered: 'delivered',
  expired: 'undelivered',
  aborted: 'failed',
  cancelled: 'failed',
  rejected: 'failed',
  deleted: 'failed',
  failed: 'failed',
};

/**
 * A per-recipient delivery report callback (`delivery_report: "per_recipient"`): a JSON POST of
 * `{ type: "recipient_delivery_report_sms", batch_id, recipient, code, status, at, ... }`.
 */
export const sinchReceipts: AddressedReceiptKind = {
  parse: ({ rawBody }) => {
    const report = jsonBody(rawBody) as { type?: unknown; batch_id?: unknown; status?: unknown } | undefined;
    if (!report || typeof report.batch_id !== 'string' || !report.batch_id) return [];
    if (report.type !== undefined && report.type !== 'recipient_delivery_report_sms') return [];
    const word = typeof report.status === 'string' ? report.status.toLowerCase() : '';
    return [{ messageId: report.batch_id, status: SINCH_STATUSES[word] ?? null }];
  },
};

export const sinch = defineProvider('sinch', {
  transport: { kind: 'http', api: () => sinchApi },
  addressedReceipts: sinchReceipts,
});
