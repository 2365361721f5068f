import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * api.md "The OpenAPI document is exact": a request body that api.md calls optional is not `required` in
 * openapi.json. The bodies are read from api.md itself: a route line whose body lists only optional
 * fields (`{ clientIp? }`), and a route said to take "an optional body".
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The contract lives beside the project: /work/shared here, ../shared in CI.
const apiMd = resolve(root, '../shared/api.md');
const document = JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>>;
};

const ROUTE = /`(GET|POST|PUT|PATCH|DELETE) ([^`\s]+)`/g;
const BODY = /^\s*`(\{[^`]*\})`/;

/** Fields of a body written `{ a?, b?: ... }`, top level only, each with whether it is optional. */
function fields(body: string): { name: string; optional: boolean }[] {
  const inner = body.slice(1, -1);
  let depth = 0;
  let part = '';
  const parts: string[] = [];
  for (const char of inner) {
    if ('{[('.includes(char)) depth++;
    if ('}])'.includes(char)) depth--;
    if (char === ',' && depth === 0) {
      parts.push(part);
      part = '';
    } else part += char;
  }
  parts.push(part);
  return parts
    .map((text) => /^\s*"?([\w<>-]+)"?(\?)?/.exec(text))
    .filter((match): match is RegExpExecArray => match !== null && match[1] !== undefined)
    .map((match) => ({ name: match[1]!, optional: match[2] === '?' }));
}

/** The openapi path a route of api.md names: `{param}` names may differ, `...` stands for a prefix. */
function documentedPath(path: string): string | undefined {
  const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
  const wanted = shape(path.split('?')[0]!);
  const candidates = Object.keys(document.paths).filter((known) =>
    wanted.startsWith('...') ? shape(known).endsWith(wanted.slice(3)) : shape(known) === wanted,
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

function optionalBodies(text: string): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  for (const line of text.split('\n')) {
    for (const match of line.matchAll(ROUTE)) {
      const [, method, path] = match;
      const after = line.slice(match.index + match[0].length);
      const body = BODY.exec(after)?.[1];
      const listed = body !== undefined && fields(body).length > 0 && fields(body).every((f) => f.optional);
      const said = /^\s*takes an optional body/.test(after);
      if (listed || said) found.push({ method: method!.toLowerCase(), path: path! });
    }
  }
  return found;
}

describe.skipIf(!existsSync(apiMd))('optional request bodies', () => {
  // Vitest runs a skipped suite's body to collect its tests: read api.md only where it exists (the
  // project's clone beside ../shared), or a clone elsewhere fails here instead of skipping.
  const bodies = existsSync(apiMd) ? optionalBodies(readFileSync(apiMd, 'utf8')) : [];

  it('are found in api.md, the two the exact rules name among them', () => {
    const named = bodies.map(({ method, path }) => `${method} ${documentedPath(path)}`);
    expect(named).toContain('post /v1/users/{userId}/sms-factor/challenges');
    expect(named).toContain('put /v1/users/{userId}/sms-factor');
  });

  it('are not required in openapi.json', () => {
    const checked = bodies
      .map(({ method, path }) => ({ method, path: documentedPath(path) }))
      .filter((route): route is { method: string; path: string } => route.path !== undefined)
      .filter(({ method, path }) => document.paths[path]?.[method]?.requestBody !== undefined);
    expect(checked.length).toBeGreaterThanOrEqual(2);
    for (const { method, path } of checked) {
      expect(document.paths[path]![method]!.requestBody!.required, `${method} ${path}`).not.toBe(true);
    }
  });
});
