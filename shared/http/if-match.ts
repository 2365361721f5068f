import { VersionMismatch } from '../domain/errors.ts';

/**
 * `If-Match: 3`, `"3"` or `W/"3"` → 3; `*` or no header → undefined (any version). A value that can
 * never equal a version is a mismatch (409), as api.md answers every failed precondition.
 */
export function ifMatchVersion(
  headers: Record<string, string | undefined>,
  what: string,
): number | undefined {
  const raw = headers['if-match']?.trim();
  if (raw === undefined || raw === '' || raw === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(raw);
  if (!match) throw new VersionMismatch(what);
  return Number(match[1]);
}
