import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction, bundlingFor, functionCode } from '../../cdk/constructs/function-bundle.ts';
import { PROJECT_ROOT } from '../../cdk/sms-mfa-stack.ts';
import { outputsAtInit } from '../../cdk/synthesized-bundles.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'function-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file of an asset directory with its content, by its path inside the directory. */
function contents(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.'));
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

describe('a function bundle', () => {
  it('is the same wherever it is built: the asset hash then follows the code, not the checkout', () => {
    // Two output directories at different depths and names, as two checkouts' cdk.out would be.
    const first = path.join(scratch, 'a');
    const second = path.join(scratch, 'elsewhere', 'deeper', 'bundling-temp-0123');
    mkdirSync(first, { recursive: true });
    mkdirSync(second, { recursive: true });
    const entry = path.join(PROJECT_ROOT, 'functions/verifications/create.ts');
    bundleFunction(entry, first, bundlingFor('verifications-create'), PROJECT_ROOT);
    bundleFunction(entry, second, bundlingFor('verifications-create'), PROJECT_ROOT);
    const built = contents(first);
    expect(Object.keys(built)).toContain('index.meta.json');
    expect(Object.keys(built).some((f) => f.startsWith('chunks/'))).toBe(true);
    // Compared as booleans first: a failing toEqual would print two megabytes of minified code.
    const differing = Object.keys(built).filter((f) => contents(second)[f] !== built[f]);
    expect(differing).toEqual([]);
    expect(Object.keys(contents(second))).toEqual(Object.keys(built));
    // Source maps name their sources from the project root.
    const map = JSON.parse(built['index.mjs.map']!) as { sources: string[] };
    expect(map.sources).toContain('functions/verifications/create.ts');
    // The metafile names outputs from the asset's own directory, the entry first among what loads at init.
    const atInit = outputsAtInit(path.join(first, 'index.meta.json'));
    expect(atInit[0]).toBe('index.mjs');
    for (const file of atInit) expect(built[file], file).toBeDefined();
  });

  it('refuses an entry outside the project root', () => {
    expect(() => functionCode('/elsewhere/handler.ts', PROJECT_ROOT, 'health')).toThrow(
      /outside the project root/,
    );
  });
});
