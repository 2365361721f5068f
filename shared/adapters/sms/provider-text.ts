import { decodeHTML } from 'entities';
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
  // Escapes and letter case are undone before matching (decodedEchoes); encodings that change every
  // character (base64, form encoding of spaces) are matched as spelled.
  const spellings = plain.flatMap((value) => [
    value,
    value.replaceAll(' ', '+'),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
  ]);
  // Longest first, so that a value containing another is removed whole.
  return [...new Set(spellings.filter((v) => v.length >= 3))].sort((a, b) => b.length - a.length);
}

const MAX_REASON = 160;
/** Only so much of a provider's answer is read: the reason keeps far less, and decoding is bounded. */
const MAX_SCANNED = 4_096;
const DECODE_ROUNDS = 8;

/**
 * A code's digits in order, separated by short runs of anything but letters and digits: `123456`,
 * `123,456`, `1-2-3-4-5-6`, `12 34 56`. Codes have at least 4 digits; so has every run removed.
 */
const CODE_LIKE = /\+?\d(?:[^A-Za-z0-9]{0,3}\d){3,}/g;

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const UNICODE_ESCAPE = /\\u([0-9A-Fa-f]{4})/g;
/** What is left of an escape after the rounds ran out (an echo nested deeper than any provider's). */
const ANY_ESCAPE = /%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|&#?[A-Za-z0-9]+;?/g;

function decodeOnce(text: string): string {
  return decodeHTML(
    text
      .replace(UNICODE_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(PERCENT_RUN, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8')),
  );
}

/**
 * The text as a reader sees it once every `\uXXXX` escape, percent-encoding and HTML character
 * reference is undone, however deeply nested: a value hidden in an escape is then matched as itself.
 */
export function decodedEchoes(text: string): string {
  let current = text;
  for (let round = 0; round < DECODE_ROUNDS; round += 1) {
    const next = decodeOnce(current);
    if (next === current) return current;
    current = next;
  }
  return current.replace(ANY_ESCAPE, '…');
}

/** Removes every occurrence of the values, whatever their letter case. */
function withoutValues(text: string, values: readonly string[]): string {
  // Lower-casing keeps positions unless a character grows (`İ`); such a text is kept lower-cased whole.
  let scrubbed = text.toLowerCase().length === text.length ? text : text.toLowerCase();
  for (const needle of values.map((value) => value.toLowerCase())) {
    let at = scrubbed.toLowerCase().indexOf(needle);
    while (at !== -1) {
      scrubbed = `${scrubbed.slice(0, at)}…${scrubbed.slice(at + needle.length)}`;
      at = scrubbed.toLowerCase().indexOf(needle, at);
    }
  }
  return scrubbed;
}

/**
 * One scrub for every provider failure: the text is decoded (decodedEchoes), then the request's own
 * values (credentials, message text, number) are removed in any letter case, then anything that could
 * still be one of them: code-like digit runs (codes, numbers), long opaque tokens (keys, signatures) and
 * `name=value` pairs (an echoed form body). What is left is short prose.
 */
export function scrubProviderText(text: string, sensitive: readonly string[]): string {
  return withoutValues(decodedEchoes(text.slice(0, MAX_SCANNED)), sensitive)
    .replace(/[\w.%+-]+=[^\s&"',;]*/g, '…')
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, '…')
    .replace(CODE_LIKE, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_REASON);
}

/** The digit runs of a text that could carry a code, digits only (`12-34-56` is `123456`). */
function digitRuns(text: string): string[] {
  return [...text.matchAll(CODE_LIKE)].map(([run]) => run.replace(/\D/g, ''));
}

/** A provider error code is kept only if it is a short token that cannot be one of the request's values. */
export function cleanProviderCode(code: unknown, sensitive: readonly string[]): string | undefined {
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  const text = String(code);
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(text)) return undefined;
  const folded = text.toLowerCase();
  const couldBeAValue = /^\d{4,}$/.test(text) || text.length >= 6;
  if (couldBeAValue && sensitive.some((value) => value.toLowerCase().includes(folded))) return undefined;
  if (sensitive.some((value) => folded.includes(value.toLowerCase()))) return undefined;
  // A provider's own numeric code (Twilio's 21211) stays, unless a digit run of the request is in it.
  const own = digitRuns(text);
  const theirs = sensitive.flatMap(digitRuns);
  if (own.some((run) => theirs.some((value) => run.includes(value)))) return undefined;
  return text;
}
