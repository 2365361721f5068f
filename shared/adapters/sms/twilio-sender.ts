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
export class TwilioSender implements SmsSender {
  constructor(private readonly http: ProviderHttp) {}

  async send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    sms: OutboundSms,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const from = gateway.from ?? '';
    const form = new URLSearchParams({ To: sms.to, Body: sms.body });
    form.set(from.startsWith('MG') ? 'MessagingServiceSid' : 'From', from);
    const response = await this.http.send(gateway, credentials, options, {
      method: 'POST',
      url: providerUrl(gateway),
      headers: {
        authorization: basicAuth(gateway.username ?? gateway.accountId ?? '', credentials.password ?? ''),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    });
    const body = (response.json ?? {}) as { sid?: string; code?: number; message?: string };
    if (response.status >= 200 && response.status < 300 && body.sid) return { providerMessageId: body.sid };
    const reason = sanitizeReason(`Twilio ${response.status}: ${body.message ?? response.text}`);
    const code = typeof body.code === 'number' ? body.code : undefined;
    const kind =
      code && OPTED_OUT_CODES.has(code)
        ? 'opted-out'
        : code && INVALID_NUMBER_CODES.has(code)
          ? 'invalid-number'
          : failureKindForStatus(response.status);
    throw new SendFailure(kind, reason, undefined, code === undefined ? undefined : String(code));
  }
}
