import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CONFIGURATION_PAGE,
  configurationPage,
  runtimeEnvironmentTable,
} from '../../local/docs/configuration-page.ts';
import { runtimeEnvironment } from '../../shared/runtime/config.ts';

describe('docs/configuration.md', () => {
  it('is what npm run docs generates from the runtime environment schema (run it after changing config.ts)', async () => {
    expect(await readFile(CONFIGURATION_PAGE, 'utf8')).toBe(await configurationPage());
  });

  it('has one row per variable of the schema, in its order, with whether it is required', () => {
    const rows = runtimeEnvironmentTable().split('\n').slice(2);
    const names = rows.map((row) => /^\| `([A-Z_]+)` \|/.exec(row)?.[1]);
    expect(names).toEqual(Object.keys(runtimeEnvironment.shape));
    expect(rows.find((row) => row.startsWith('| `TABLE_NAME`'))).toContain('**required**');
    expect(rows.find((row) => row.startsWith('| `PROVIDER_TIMEOUT_MS`'))).toContain('| 5000 |');
  });
});
