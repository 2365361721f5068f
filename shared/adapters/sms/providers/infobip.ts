import type { GatewayRecord } from '../../../domain/gateways/gateway.ts';
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
import { jsonBody } from './receipt-fields.ts';

const SEND_PATH = '/sms/2/text/advanced';

/** Status names (REJECTED group) that mean this number cannot receive the message. */
const INVALID_NUMBER_STATUSES = new Set([
  'REJECTED_PREFIX_MISSING',
  'REJECTED_DND',
  'REJECTED_DESTINATION',
  'REJECTED_DESTINATION_BLOCKLISTED',
  'MISSING_TO',
]);

/** Status groups of a message that Infobip did not accept for delivery. */
const FAILED_GROUPS = new Set(['REJECTED', 'UNDELIVERABLE']);

interface InfobipStatus {
  groupId?: number;
  groupName?: string;
  id?: number;
  name?: string;
  description?: string;
}

interface InfobipAnswer {
  bulkId?: string;
  messages?: { messageId?: string; to?: string; status?: InfobipStatus }[];
  requestError?: { serviceException?: { messageId?: string; text?: string } };
}

/**
 * Infobip SMS API, "Send SMS message" (https://www.infobip.com/docs/api/channels/sms/outbound-sms/send-sms-message,
 * fully featured textual message: https://dev-old.infobip.com/send-sms/fully-featured-text-message):
 * POST {baseUrl}/sms/2/text/advanced with `Authorization: App <API key>`
 * (https://www.infobip.com/docs/essentials/api-essentials/api-authentication) and the JSON body
 * `{ messages: [{ destinations: [{ to }], from, text }] }`, `to` in international format without the
 * plus (e.g. 41793026727), `from` optional. 200 answers `{ bulkId, messages: [{ messageId, status, to }] }`
 * where the status object can already put the message in the REJECTED group (status names from
 * https://www.infobip.com/docs/essentials/api-essentials/response-status-and-error-codes);
 * 400/401/403/429/5xx answer `{ requestError: { serviceException: { messageId, text } } }`.
 */
export const infobipApi: ProviderApi = {
  request({ gateway, credentials, sms }) {
    const message = {
      destinations: [{ to: sms.to.replace(/^\+/, '') }],
      ...(gateway.from ? { from: gateway.from } : {}),
      text: sms.body,
      // Delivery reports for this message go to its own receipt address, as JSON.
      ...(sms.callbackUrl ? { notifyUrl: sms.callbackUrl, notifyContentType: 'application/json' } : {}),
    };
    return jsonPost(
      sendUrl(gateway),
      { authorization: `App ${credentials.password ?? ''}` },
      { messages: [message] },
    );
  },

  answer(response) {
    const body = (response.json ?? {}) as InfobipAnswer;
    const sent = body.messages?.[0];
    const status = sent?.status ?? {};
    const ok = isSuccess(response.status);
    if (ok && FAILED_GROUPS.has(status.groupName ?? '')) {
      throw providerFailure(
        kindForStatus(status),
        `Infobip ${status.groupName} ${status.name ?? status.id ?? ''}: ${status.description ?? ''}`,
      );
    }
    if (ok && sent?.messageId) return { providerMessageId: sent.messageId };
    const error = body.requestError?.serviceException;
    throw providerFailure(
      failureKindForStatus(response.status),
      `Infobip ${response.status}${error?.messageId ? ` ${error.messageId}` : ''}: ${error?.text ?? response.text}`,
    );
  },
};

/** The gateway URL may be the account's bare base URL (https://xxxxx.api.infobip.com): add the send path. */
function sendUrl(gateway: GatewayRecord): string {
  const url = providerUrl(gateway);
  try {
    return new URL(url).pathname === '/' ? `${url.replace(/\/$/, '')}${SEND_PATH}` : url;
  } catch {
    return url;
  }
}

function kindForStatus(status: InfobipStatus): SendFailureKind {
  const name = status.name ?? '';
  if (INVALID_NUMBER_STATUSES.has(name)) return 'invalid-number';
  if (name === 'REJECTED_FLOODING_FILTER') return 'throttled';
  if (name === 'REJECTED_SYSTEM_ERROR') return 'unavailable';
  return 'rejected';
}

/** At most this many reports of one request are read (Infobip's default bucket size). */
export const INFOBIP_REPORTS_PER_REQUEST = 100;

/**
 * Status groups of a delivery report (Infobip "Response status and error codes"): DELIVERED; EXPIRED
 * and UNDELIVERABLE never reached the handset; REJECTED was refused; PENDING is not final.
 */
const INFOBIP_GROUPS: Readonly<Record<string, DeliveryStatus>> = {
  DELIVERED: 'delivered',
  EXPIRED: 'undelivered',
  UNDELIVERABLE: 'undelivered',
  REJECTED: 'failed',
};

/**
 * "Receive outbound SMS message report": a JSON POST of `{ results: [{ bulkId, messageId, to, sentAt,
 * doneAt, smsCount, price, status: { groupId, groupName, id, name, description }, error }] }`, up to
 * 100 reports; each is judged alone.
 */
export const infobipReceipts: AddressedReceiptKind = {
  parse: ({ rawBody }) => {
    const body = jsonBody(rawBody) as { results?: unknown } | undefined;
    if (!body || !Array.isArray(body.results)) return [];
    return body.results.slice(0, INFOBIP_REPORTS_PER_REQUEST).flatMap((entry: unknown) => {
      const report = (entry ?? {}) as { messageId?: unknown; status?: { groupName?: unknown } };
      if (typeof report.messageId !== 'string' || !report.messageId) return [];
      const group = typeof report.status?.groupName === 'string' ? report.status.groupName : '';
      return [{ messageId: report.messageId, status: INFOBIP_GROUPS[group.toUpperCase()] ?? null }];
    });
  },
};

export const infobip = defineProvider('infobip', {
  transport: { kind: 'http', api: () => infobipApi },
  addressedReceipts: infobipReceipts,
});
