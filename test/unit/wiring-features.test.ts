import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedRoot } from '../support/import-graph.ts';

const wiringDir = join(sharedRoot, 'runtime', 'wiring');

describe('feature definitions in the wiring', () => {
  it('are each marked pure, so that a bundle drops the features its handler never reaches', () => {
    const unmarked: string[] = [];
    let definitions = 0;
    for (const file of readdirSync(wiringDir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(wiringDir, file), 'utf8');
      for (const match of source.matchAll(/^export const (\w+) =([^=\n]*?)\bfeature\(/gm)) {
        definitions++;
        if (!match[2]!.includes('/* @__PURE__ */')) unmarked.push(`${file}: ${match[1]}`);
      }
    }
    expect(definitions).toBeGreaterThan(30);
    expect(unmarked).toEqual([]);
  });
});
