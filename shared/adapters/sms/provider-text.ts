import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import type { OutboundSms } from '../../ports/sms-sender.ts';

/** Values that must never leave through a provider's error text, in every spelling an echo may use. */
export function sensitiveValues(
  gateway: GatewayRecord,
  credentials: GatewayCredentials,
  sms: OutboundSms,
): string[] {
  const secrets = [credentials.password, credentials.proxyPassword].filter((v): v is string => !!v);
  const users = [gateway.username, gateway.accountId, gateway.proxy?.username].filter(
    (v): v is string => !!v,
  );
  const pairs = users.flatMap((user) => secrets.map((secret) => `${user}:${secret}`));
  const plain = [...secrets, ...pairs, sms.body, sms.to, sms.to.replace(/^\+/, '')];
  const spellings = plain.flatMap((value) => [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
  ]);
  // Longest first, so that a value containing another is removed whole.
  return [...new Set(spellings.filter((v) => v.length >= 3))].sort((a, b) => b.length - a.length);
}

const MAX_REASON = 160;

/**
 * One scrub for every provider failure: the request's own values (credentials, message text, number) in
 * any spelling, then anything that could still be one of them: digit runs (codes, numbers), long opaque
 * tokens (keys, signatures) and `name=value` pairs (an echoed form body). What is left is short prose.
 */
export function scrubProviderText(text: string, sensitive: readonly string[]): string {
  let scrubbed = text;
  for (const value of sensitive) scrubbed = scrubbed.split(value).join('…');
  return scrubbed
    .replace(/[\w.%+-]+=[^\s&"',;]*/g, '…')
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, '…')
    .replace(/\+?\d[\d\s().-]{2,}\d/g, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_REASON);
}

/** A provider error code is kept only if it is a short token that cannot be one of the request's values. */
export function cleanProviderCode(code: unknown, sensitive: readonly string[]): string | undefined {
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  const text = String(code);
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(text)) return undefined;
  const couldBeAValue = /^\d{4,}$/.test(text) || text.length >= 6;
  if (couldBeAValue && sensitive.some((value) => value.includes(text))) return undefined;
  return text;
}
