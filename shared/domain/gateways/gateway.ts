import type { FieldError } from '../errors.ts';
import { GATEWAY_FIELDS, GATEWAY_TYPE_INFO, type GatewayType } from './gateway-types.ts';

export const CUSTOM_HTTP_AUTH_SCHEMES = ['none', 'basic', 'bearer', 'hmac-sha256'] as const;
export type CustomHttpAuthScheme = (typeof CUSTOM_HTTP_AUTH_SCHEMES)[number];

export const DEFAULT_BODY_TEMPLATE = '{"to":"{to}","message":"{message}"}';

export interface ProxySettings {
  host: string;
  port: number;
  domain: string | null;
  username: string | null;
  description: string | null;
  hasPassword: boolean;
}

/** What the table holds. Passwords live in the secret store; only `hasPassword` flags are kept here. */
export interface GatewayRecord {
  id: string;
  name: string;
  type: GatewayType;
  url: string | null;
  accountId: string | null;
  username: string | null;
  from: string | null;
  /** The sender for numbers of a country (ISO code), in place of `from`; absent on gateways written before it. */
  senderIds?: Record<string, string>;
  /** custom-http: the JSON body with `{to}`, `{message}` (and `{from}`, `{accountId}`) placeholders. */
  bodyTemplate: string | null;
  /** custom-http: how requests are authenticated. */
  authScheme: CustomHttpAuthScheme | null;
  hasPassword: boolean;
  /** The secret delivery receipts are signed with is stored (with the password, in the secret store). */
  hasCallbackSecret: boolean;
  proxy: ProxySettings | null;
  /** Price per SMS segment: `default` and ISO country entries; missing on items written before them. */
  pricePerSegment?: Record<string, number> | null;
  /** Price per call (voice-capable types), as `pricePerSegment`; missing: the store's `pricePerCall`. */
  pricePerCall?: Record<string, number> | null;
  /** ISO 4217 of `pricePerSegment` and `pricePerCall`; missing reads as USD (prices.ts). */
  priceCurrency?: string;
  linkedIdentityStoreIds: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** `isDefault` is derived from the single default pointer, so there can never be two defaults. */
export interface Gateway extends GatewayRecord {
  isDefault: boolean;
}

export interface GatewayCredentials {
  password?: string;
  proxyPassword?: string;
  /** What the provider signs delivery receipts with (api.md "Delivery receipts"). */
  callbackSecret?: string;
}

/**
 * Where the gateway's messages go: its `url` override, else the type's provider URL with `{accountId}`
 * filled in (`{region}` of SNS is the function's own region); `null` only for `console`.
 */
export function effectiveUrl(gateway: Pick<GatewayRecord, 'type' | 'url' | 'accountId'>): string | null {
  if (gateway.type === 'console') return null;
  const template = gateway.url ?? GATEWAY_TYPE_INFO[gateway.type].url;
  return template?.replace('{accountId}', encodeURIComponent(gateway.accountId ?? '')) ?? null;
}

/**
 * A call's address (api.md "Voice": with a URL override, the override's scheme, host and port plus the
 * provider's voice path); `null` for a type that cannot call. custom-http calls at its own URL.
 */
export function voiceUrl(gateway: Pick<GatewayRecord, 'type' | 'url' | 'accountId'>): string | null {
  const info = GATEWAY_TYPE_INFO[gateway.type];
  if (!info.channels.includes('voice')) return null;
  if (!info.voiceUrl) return effectiveUrl(gateway);
  const address = new URL(info.voiceUrl.replace('{accountId}', encodeURIComponent(gateway.accountId ?? '')));
  if (!gateway.url) return address.href;
  return `${new URL(gateway.url).origin}${address.pathname}${address.search}`;
}

export const gatewaySecretName = (gatewayId: string): string => `gateways/${gatewayId}`;

export interface UrlPolicy {
  /** Local mode only: plain http to 127.0.0.1/localhost, for fake providers and local gateways. */
  allowLoopbackHttp: boolean;
  /** The outbound address rules (api.md "Outbound addresses") for a URL's host or a proxy host. */
  hostProblem(host: string): string | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function urlProblem(value: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password)
    return 'must not contain credentials; use the username and password fields';
  const hostProblem = policy.hostProblem(url.hostname);
  if (hostProblem) return `host ${hostProblem}`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && policy.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))
    return undefined;
  return policy.allowLoopbackHttp
    ? 'must use https (plain http only for 127.0.0.1 or localhost)'
    : 'must use https';
}

/** Checks a complete gateway (after create defaults or a merge patch) against its type's needs. */
export function gatewaySettingsProblems(gateway: GatewayRecord, policy: UrlPolicy): FieldError[] {
  const info = GATEWAY_TYPE_INFO[gateway.type];
  const problems: FieldError[] = [];
  for (const field of GATEWAY_FIELDS) {
    if (info.fields[field] !== 'required') continue;
    const present = field === 'password' ? gateway.hasPassword : Boolean(gateway[field]);
    if (!present) problems.push({ path: field, message: `is required for gateway type ${gateway.type}` });
  }
  if (gateway.url) {
    const problem = urlProblem(gateway.url, policy);
    if (problem) problems.push({ path: 'url', message: problem });
  }
  if (gateway.type === 'custom-http' && gateway.bodyTemplate) {
    const template = gateway.bodyTemplate;
    if (!template.includes('{to}') || !template.includes('{message}')) {
      problems.push({ path: 'bodyTemplate', message: 'must contain the {to} and {message} placeholders' });
    } else {
      try {
        JSON.parse(
          template
            .replaceAll('{to}', '')
            .replaceAll('{message}', '')
            .replaceAll('{from}', '')
            .replaceAll('{accountId}', ''),
        );
      } catch {
        problems.push({
          path: 'bodyTemplate',
          message: 'must be JSON once the placeholders are filled in (put them inside strings)',
        });
      }
    }
  }
  if (
    gateway.type === 'custom-http' &&
    gateway.authScheme &&
    gateway.authScheme !== 'none' &&
    !gateway.hasPassword
  ) {
    problems.push({ path: 'password', message: `is required for auth scheme ${gateway.authScheme}` });
  }
  if (gateway.proxy && !gateway.proxy.host) problems.push({ path: 'proxy.host', message: 'is required' });
  const proxyHostProblem = gateway.proxy?.host ? policy.hostProblem(gateway.proxy.host) : undefined;
  if (proxyHostProblem) problems.push({ path: 'proxy.host', message: proxyHostProblem });
  if (gateway.proxy && !gateway.proxy.port) problems.push({ path: 'proxy.port', message: 'is required' });
  if (gateway.proxy?.hasPassword && !gateway.proxy.username) {
    problems.push({ path: 'proxy.username', message: 'is required when a proxy password is set' });
  }
  return problems;
}
