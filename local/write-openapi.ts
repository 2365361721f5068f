import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApiDocument } from '../shared/api/openapi.ts';
import { PROJECT_ROOT } from './local-stack.ts';

/** `npm run openapi`: writes the checked-in openapi.json (a test fails when it is out of date). */
const file = join(PROJECT_ROOT, 'openapi.json');
await writeFile(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
