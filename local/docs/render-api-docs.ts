import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { externalReferences } from './external-references.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEMPLATE = fileURLToPath(new URL('api-docs.template.html', import.meta.url));

/**
 * Redoc's own links and logo, the only references to other hosts left once its script is inlined: the
 * "API docs by" link loses its target and the logo gets an image that fails at once, so Redoc's onError
 * hides it. Each must still be found, so that a Redoc upgrade that moves them fails here, not in a reader's
 * browser (the page's Content-Security-Policy blocks them either way).
 */
const REDOC_REFERENCES: [RegExp, string][] = [
  [/ href="https:\/\/redocly\.com\/redoc\/"/g, ''],
  [/href:`https:\/\/redocly\.com\/redoc\/`/g, 'href:void 0'],
  [/`https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg`/g, '`data:,`'],
];

/** Renders `openapi` into one HTML file at `output` that loads nothing from elsewhere. */
export async function renderApiDocs(output: string, openapi = join(ROOT, 'openapi.json')): Promise<void> {
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'),
      'build-docs',
      openapi,
      '--inlineBundle',
      '--template',
      TEMPLATE,
      '--output',
      output,
    ],
    // Telemetry off: the CLI reports nothing, and the page is told not to either.
    { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
  );
  let html = await readFile(output, 'utf8');
  for (const [pattern, replacement] of REDOC_REFERENCES) {
    if (html.search(pattern) < 0)
      throw new Error(`Redoc no longer writes ${pattern}: check ${output} by hand`);
    html = html.replace(pattern, replacement);
  }
  const left = externalReferences(html);
  if (left.length > 0) throw new Error(`${output} still refers to other hosts:\n${left.join('\n')}`);
  await writeFile(output, html);
}
