import { createHmac } from 'node:crypto';
import type { ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import {
  basicAuth,
  failureKindForStatus,
  formPost,
  isSuccess,
  providerFailure,
  providerUrl,
  type ProviderApi,
} from '../provider-api.ts';
import { defineProvider } from './define-provider.ts';
import { finalStatus, sameSignature, sortedEntries } from './receipt-fields.ts';

/** Twilio error codes that mean the number cannot receive the message. */
const INVALID_NUMBER_CODES = new Set([21211, 21214, 21217, 21408, 21612, 21614]);
/** 21610 "Attempt to send to unsubscribed recipient": the number replied STOP. */
const OPTED_OUT_CODES = new Set([21610]);

/**
 * Twilio Programmable Messaging, "Create a Message resource":
 * POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth
 * (Account SID or API key SID : auth token or API key secret), form-encoded To, From or
 * MessagingServiceSid, Body; 201 with the message `sid`, errors as `{ code, message, status }`.
 */
export const twilioApi: ProviderApi = {
  request({ gateway, credentials, sms }) {
    const from = gateway.from ?? '';
    const form = new URLSearchParams({ To: sms.to, Body: sms.body });
    form.set(from.startsWith('MG') ? 'MessagingServiceSid' : 'From', from);
    if (sms.callbackUrl) form.set('StatusCallback', sms.callbackUrl);
    const user = gateway.username ?? gateway.accountId ?? '';
    return formPost(
      providerUrl(gateway),
      { authorization: basicAuth(user, credentials.password ?? '') },
      form,
    );
  },

  answer(response) {
    const body = (response.json ?? {}) as { sid?: string; code?: number; message?: string };
    if (isSuccess(response.status) && body.sid) return { providerMessageId: body.sid };
    const code = typeof body.code === 'number' ? body.code : undefined;
    const kind =
      code && OPTED_OUT_CODES.has(code)
        ? 'opted-out'
        : code && INVALID_NUMBER_CODES.has(code)
          ? 'invalid-number'
          : failureKindForStatus(response.status);
    const reason = `Twilio ${response.status}: ${body.message ?? response.text}`;
    throw providerFailure(kind, reason, undefined, code === undefined ? undefined : String(code));
  },
};

/**
 * Twilio's `X-Twilio-Signature` (www.twilio.com/docs/usage/webhooks/webhooks-security): base64 of
 * HMAC-SHA1 keyed with the account's Auth Token over the full URL Twilio called followed by every POST
 * parameter, sorted by name, as name + value with no separators.
 */
export function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string>>) {
  const signed =
    url +
    sortedEntries(params)
      .map(([name, value]) => name + value)
      .join('');
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

export const twilioReceipts: ReceiptKind = {
  verify: (request, authToken) =>
    sameSignature(
      request.headers['x-twilio-signature'],
      twilioSignature(authToken, request.url, request.params),
    ),
  parse: ({ params }) => {
    const messageId = params.MessageSid ?? params.SmsSid;
    if (!messageId) return undefined;
    return { messageId, status: finalStatus(params.MessageStatus ?? params.SmsStatus) };
  },
};

export const twilio = defineProvider('twilio', {
  transport: { kind: 'http', api: () => twilioApi },
  receipts: twilioReceipts,
});
