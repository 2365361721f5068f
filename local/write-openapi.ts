import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApiDocument } from '../shared/api/openapi.ts';
import { CLIENT_TYPES_FILE, clientTypesSource } from './client-types.ts';
import { PROJECT_ROOT } from './local-stack.ts';

/**
 * `npm run openapi`: writes the checked-in openapi.json and the client's types generated from it
 * (tests fail when either is out of date).
 */
const file = join(PROJECT_ROOT, 'openapi.json');
await writeFile(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
await writeFile(CLIENT_TYPES_FILE, await clientTypesSource(JSON.parse(await readFile(file, 'utf8'))));
console.log(`wrote ${CLIENT_TYPES_FILE}`);
