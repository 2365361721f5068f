/**
 * Finds codes, credentials and full phone numbers in text (answers, log lines) the way api.md words
 * the rule: a code's digits in order separated by runs of at most 3 non-alphanumeric characters, a
 * credential in any case. ISO timestamps are taken out first: their digits are the service's own.
 */

export interface Secret {
  label: string;
  value: string;
  kind: 'code' | 'credential' | 'phone' | 'user-id';
}

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternOf(secret: Secret): RegExp {
  switch (secret.kind) {
    case 'code':
      return new RegExp(`(?<!\\d)${[...secret.value].map(escape).join('[^A-Za-z0-9]{0,3}')}(?!\\d)`);
    case 'phone':
      // With or without `+`, never inside a longer run of digits.
      return new RegExp(`(?<!\\d)${escape(secret.value.replace(/^\+/, ''))}(?!\\d)`);
    case 'credential':
      return new RegExp(escape(secret.value), 'i');
    case 'user-id':
      return new RegExp(
        [secret.value, JSON.stringify(secret.value).slice(1, -1), encodeURIComponent(secret.value)]
          .map(escape)
          .join('|'),
      );
  }
}

/** Each secret found in `text`, by label, after `allowed` strings (echoes the contract permits) are removed. */
export function leaksIn(text: string, secrets: readonly Secret[], allowed: readonly string[] = []): string[] {
  let scanned = text.replace(ISO_TIMESTAMP, '<time>');
  for (const echo of allowed) if (echo) scanned = scanned.replaceAll(echo, '<allowed>');
  return secrets.filter((secret) => patternOf(secret).test(scanned)).map((secret) => secret.label);
}
