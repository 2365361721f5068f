/**
 * The WICG sms-one-time-codes format (https://wicg.github.io/sms-one-time-codes/#parsing): the message's
 * last line (after the last LF) is `@<top-level host> #<code>` optionally followed by ` %<embedded host>`;
 * a host is a valid domain (LDH labels, dot-separated) and the code is one or more ASCII characters that
 * are neither whitespace nor controls. Written from the spec's grammar, not from the service's renderer.
 */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST = `${LABEL}(?:\\.${LABEL})*`;
const LAST_LINE = new RegExp(`^@(${HOST}) #([\\x21-\\x7e]+)(?: %(${HOST}))?$`);

export interface OriginBoundCode {
  topLevelHost: string;
  code: string;
  embeddedHost?: string;
}

export function parseOriginBoundCode(message: string): OriginBoundCode | undefined {
  const lastLine = message.slice(message.lastIndexOf('\n') + 1);
  const match = LAST_LINE.exec(lastLine);
  if (!match) return undefined;
  return {
    topLevelHost: match[1]!,
    code: match[2]!,
    ...(match[3] ? { embeddedHost: match[3] } : {}),
  };
}
