import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';

/** A string or template literal that starts with an API path: a path written again by hand. */
const PATH_LITERAL = /(['"`])\/(?:admin|v1)(?=[/'"`?$])[^'"`\n]*\1?/g;

/** The console proxy's scope check names the admin API's prefix, not a route. */
const ALLOWED = new Map([['cli/console-proxy.ts', ["'/admin/'"]]]);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs|js)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function pathLiterals(source: string): string[] {
  return [...source.matchAll(PATH_LITERAL)].map((match) => match[0]);
}

describe('paths in the CLI and the console', () => {
  it('finds a hand-written path in any quoting', () => {
    const sample =
      "a('/admin/gateways'); b(`/v1/users/${id}`); c(\"/admin\"); d('/administrator'); // `GET /v1/x`";
    expect(pathLiterals(sample)).toEqual(["'/admin/gateways'", '`/v1/users/${id}`', '"/admin"']);
  });

  it('come from the typed client (operationPaths), never written again', async () => {
    const found: string[] = [];
    for (const dir of ['cli', 'console/src']) {
      for (const file of await sourceFiles(join(PROJECT_ROOT, dir))) {
        const name = relative(PROJECT_ROOT, file);
        const allowed = ALLOWED.get(name) ?? [];
        for (const literal of pathLiterals(await readFile(file, 'utf8'))) {
          if (!allowed.includes(literal)) found.push(`${name}: ${literal}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
