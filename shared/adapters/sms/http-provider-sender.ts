import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import {
  SendFailure,
  type OutboundSms,
  type SendFailureKind,
  type SendOutcome,
  type SendResult,
  type SmsSender,
  type SendOptions,
} from '../../ports/sms-sender.ts';
import {
  failureKindForStatus,
  sanitizeReason,
  type ProviderHttp,
  type ProviderRequest,
  type ProviderResponse,
} from './provider-http.ts';

/** One send, as every HTTP provider adapter sees it. */
export interface SendCall {
  gateway: GatewayRecord;
  credentials: GatewayCredentials;
  sms: OutboundSms;
}

/** What is specific to one provider's documented API: the request it wants and how to read its answer. */
export interface ProviderApi {
  request(call: SendCall): ProviderRequest;
  /** The provider's id of an accepted message; anything else throws the SendFailure the answer means. */
  answer(response: ProviderResponse, call: SendCall): SendResult;
}

/** An SMS adapter for an HTTP provider: the transport is shared, the provider's API is the only part that differs. */
export class HttpProviderSender implements SmsSender {
  constructor(
    private readonly http: ProviderHttp,
    private readonly api: ProviderApi,
  ) {}

  async send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    sms: OutboundSms,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const call = { gateway, credentials, sms };
    const response = await this.http.send(gateway, credentials, options, this.api.request(call));
    return this.api.answer(response, call);
  }
}

/** A JSON POST, as most providers document their send call. */
export function jsonPost(url: string, headers: Record<string, string>, body: unknown): ProviderRequest {
  return {
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  };
}

/** A form-encoded POST answered with JSON. */
export function formPost(
  url: string,
  headers: Record<string, string>,
  form: URLSearchParams,
): ProviderRequest {
  return {
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  };
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A 2xx without what the provider documents for an accepted message is a refusal; otherwise the status says. */
export function kindForAnswer(status: number): SendFailureKind {
  return isSuccess(status) ? 'rejected' : failureKindForStatus(status);
}

/** The failure an answer means, its provider text made safe for admins and logs. */
export function providerFailure(
  kind: SendFailureKind,
  reason: string,
  outcome?: SendOutcome,
  providerCode?: string,
): SendFailure {
  return new SendFailure(kind, sanitizeReason(reason), outcome, providerCode);
}

/** Numbers as country code and digits (no +), as several providers want them; alphanumeric senders pass unchanged. */
export function withoutPlus(value: string): string {
  return /^\+\d+$/.test(value) ? value.slice(1) : value;
}
