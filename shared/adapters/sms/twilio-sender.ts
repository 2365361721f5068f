import { formPost, HttpProviderSender, isSuccess, providerFailure } from './http-provider-sender.ts';
import type { ProviderApi } from './http-provider-sender.ts';
import { basicAuth, failureKindForStatus, providerUrl, type ProviderHttp } from './provider-http.ts';

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
const twilioApi: ProviderApi = {
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

export class TwilioSender extends HttpProviderSender {
  constructor(http: ProviderHttp) {
    super(http, twilioApi);
  }
}
