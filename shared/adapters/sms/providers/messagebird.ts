import type { SendFailureKind } from '../../../ports/sms-sender.ts';
import {
  failureKindForStatus,
  isSuccess,
  jsonPost,
  providerFailure,
  providerUrl,
  type ProviderApi,
} from '../provider-api.ts';
import type { AddressedReceiptKind } from '../../../domain/deliveries/receipt.ts';
import type { DeliveryStatus } from '../../../domain/deliveries/send-record.ts';
import { defineProvider } from './define-provider.ts';

/** MessageBird error codes: 2 request not allowed (incorrect access_key), 25 not enough balance, 99 internal error. */
const REQUEST_NOT_ALLOWED = 2;
const NOT_ENOUGH_BALANCE = 25;
const INTERNAL_ERROR = 99;
/** Missing params, invalid params, bad request: about the number when `parameter` names the recipients. */
const PARAMETER_CODES = new Set([9, 10, 21]);

interface MessageBirdError {
  code?: number;
  description?: string;
  parameter?: string | null;
}

interface MessageBirdAnswer {
  id?: string;
  errors?: MessageBirdError[];
}

/**
 * MessageBird (Bird) SMS API, "Send outbound SMS" (https://developers.messagebird.com/api/sms-messaging/#send-outbound-sms):
 * POST https://rest.messagebird.com/messages with `Authorization: AccessKey <access key>` and the JSON body
 * `{ originator, recipients: [msisdn], body }`, recipients as MSISDNs (country code, no plus: 31612345678);
 * 201 answers the message object with its `id`. Errors (https://developers.messagebird.com/api/#api-errors)
 * answer `{ errors: [{ code, description, parameter }] }` with 401 (code 2, request not allowed: incorrect
 * access_key), 422 (code 9 "no (correct) recipients found" with parameter recipient(s), 25 not enough balance, ...),
 * 404 (20 not found, 98 API not found) and 5xx (99 internal error).
 */
export const messageBirdApi: ProviderApi = {
  request({ gateway, credentials, sms }) {
    return jsonPost(
      providerUrl(gateway),
      { authorization: `AccessKey ${credentials.password ?? ''}` },
      {
        originator: gateway.from ?? '',
        recipients: [sms.to.replace(/^\+/, '')],
        body: sms.body,
        ...(sms.callbackUrl ? { reportUrl: sms.callbackUrl } : {}),
      },
    );
  },

  answer(response) {
    const body = (response.json ?? {}) as MessageBirdAnswer;
    if (isSuccess(response.status) && body.id) return { providerMessageId: body.id };
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const details = errors
      .map(
        (error) =>
          `error ${error.code ?? '?'}: ${error.description ?? ''}${error.parameter ? ` (${error.parameter})` : ''}`,
      )
      .join('; ');
    throw providerFailure(
      kindFor(response.status, errors),
      `MessageBird ${response.status} ${details || response.text}`,
    );
  },
};

function kindFor(status: number, errors: MessageBirdError[]): SendFailureKind {
  const codes = errors.map((error) => error.code);
  if (
    errors.some(
      (error) => PARAMETER_CODES.has(error.code ?? -1) && /^recipients?$/i.test(error.parameter ?? ''),
    )
  ) {
    return 'invalid-number';
  }
  if (codes.includes(REQUEST_NOT_ALLOWED)) return 'auth';
  if (codes.includes(NOT_ENOUGH_BALANCE)) return 'rejected';
  if (codes.includes(INTERNAL_ERROR)) return 'unavailable';
  return failureKindForStatus(status);
}

/** Recipient statuses (MessageBird "SMS API › Status reports"): scheduled, sent and buffered are not final. */
const MESSAGEBIRD_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  delivered: 'delivered',
  expired: 'undelivered',
  delivery_failed: 'failed',
};

/**
 * "Handle a status report": MessageBird calls the message's `reportUrl` with `id`, `reference`,
 * `recipient`, `status`, `statusReason`, `statusErrorCode`, `statusDatetime` (and more), as query
 * parameters of a GET or the form fields of a POST; the handler hands both as `params`.
 */
export const messagebirdReceipts: AddressedReceiptKind = {
  parse: ({ params }) => {
    const messageId = params.id;
    if (!messageId) return [];
    return [{ messageId, status: MESSAGEBIRD_STATUSES[(params.status ?? '').toLowerCase()] ?? null }];
  },
};

export const messagebird = defineProvider('messagebird', {
  transport: { kind: 'http', api: () => messageBirdApi },
  addressedReceipts: messagebirdReceipts,
});
