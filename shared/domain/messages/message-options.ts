import { CODE_PLACEHOLDER } from '../sms-encoding.ts';

/**
 * An application's autofill lines (api.md "Messages"): `originDomain` makes the last line the WICG
 * origin-bound one-time-code line `@<domain> #<code>` (WebOTP, `autocomplete="one-time-code"`), and
 * `androidAppHash` the SMS Retriever's 11-character app hash on the line before it.
 */
export interface MessageOptions {
  originDomain: string | null;
  androidAppHash: string | null;
}

export const NO_MESSAGE_OPTIONS: MessageOptions = { originDomain: null, androidAppHash: null };

/** The SMS Retriever hash: the first 11 base64 characters of a SHA-256 over the package and certificate. */
export const ANDROID_APP_HASH = /^[A-Za-z0-9+/]{11}$/;

const HOST_MAX_LENGTH = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Stored lower-cased: the origin-bound line names a host, and hosts compare case-insensitively. */
export function normalizedOriginDomain(domain: string): string {
  return domain.trim().toLowerCase();
}

/** Why `domain` is not a bare host name (no scheme, port or path), or undefined. */
export function originDomainProblem(domain: string): string | undefined {
  const host = normalizedOriginDomain(domain);
  if (host.length === 0 || host.length > HOST_MAX_LENGTH) {
    return `must be a host name of 1 to ${HOST_MAX_LENGTH} characters`;
  }
  if (/[:/?#@\s]/.test(host)) return 'must be a host name only: no scheme, port or path';
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) {
    return 'must be a host name such as example.com (letters, digits and hyphens, dot-separated)';
  }
  return undefined;
}

/**
 * The template as the application's sends render it: its text, then (when either option is set) an empty
 * line, the app hash alone on its line, and `@<domain> #[Code]` last. No trailing newline: the origin-bound
 * line must be the message's last.
 */
export function withAutofillLines(template: string, options: MessageOptions | undefined): string {
  const lines = [
    ...(options?.androidAppHash ? [options.androidAppHash] : []),
    ...(options?.originDomain ? [`@${options.originDomain} #${CODE_PLACEHOLDER}`] : []),
  ];
  return lines.length === 0 ? template : `${template}\n\n${lines.join('\n')}`;
}
