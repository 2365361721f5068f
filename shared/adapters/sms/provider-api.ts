import { effectiveUrl, type GatewayCredentials, type GatewayRecord } from '../../domain/gateways/gateway.ts';
import {
  SendFailure,
  type OutboundSms,
  type SendFailureKind,
  type SendOutcome,
  type SendResult,
} from '../../ports/sms-sender.ts';

/**
 * What a provider's documented HTTP API is made of: the request it wants and how its answer reads.
 * Pure: no transport here, so the functions that only read the provider modules (receipts) carry no
 * undici; `provider-http.ts` sends.
 */
export interface ProviderRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ProviderResponse {
  status: number;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

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

/** Provider messages go to admins and logs: no long digit runs (phone numbers, codes), bounded length. */
export function sanitizeReason(text: string): string {
  return text
    .replace(/\+?\d[\d\s-]{5,}\d/g, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** The generic meaning of an HTTP status; adapters refine it with the provider's own error codes. */
export function failureKindForStatus(status: number): SendFailureKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}

/** The send address: the gateway's override, else the type's documented URL with `{accountId}` filled in. */
export function providerUrl(gateway: GatewayRecord): string {
  const url = effectiveUrl(gateway);
  if (!url) throw new SendFailure('rejected', 'the gateway has no URL');
  return url;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
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
