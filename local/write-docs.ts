import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configurationPage } from './docs/configuration-page.ts';
import { renderApiDocs } from './docs/render-api-docs.ts';
import { PROJECT_ROOT } from './local-stack.ts';

/**
 * `npm run docs`: renders openapi.json into docs/api.html (not checked in: run it again after
 * `npm run openapi`) and regenerates the runtime environment table of docs/configuration.md (checked
 * in; a test fails when it is stale). `--out-dir <dir>` writes both there instead of docs/.
 */
const { values } = parseArgs({
  options: { 'out-dir': { type: 'string', default: join(PROJECT_ROOT, 'docs') } },
});
const dir = values['out-dir'];
await mkdir(dir, { recursive: true });
await renderApiDocs(join(dir, 'api.html'));
await writeFile(join(dir, 'configuration.md'), await configurationPage());
console.log(`wrote ${join(dir, 'api.html')} and ${join(dir, 'configuration.md')}`);
