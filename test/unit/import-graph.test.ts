import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, sharedRoot } from '../support/import-graph.ts';

describe('the import graph of shared/', () => {
  it('has no circle: every file can be read (and loaded) before the files that import it', () => {
    const graph = importGraph(sharedRoot);
    expect(graph.size).toBeGreaterThan(200);
    expect(importCircles(graph).map((circle) => circle.join(' -> '))).toEqual([]);
  });
});

describe('the circle finder', () => {
  it('finds a circle of three, a file importing itself, and nothing in a tree', () => {
    const graph = new Map([
      ['identity-store.ts', ['number-class.ts']],
      ['number-class.ts', ['send-windows.ts', 'phone.ts']],
      ['send-windows.ts', ['identity-store.ts']],
      ['phone.ts', []],
      ['self.ts', ['self.ts']],
      ['leaf.ts', ['phone.ts']],
    ]);
    expect(importCircles(graph)).toEqual([
      ['identity-store.ts', 'number-class.ts', 'send-windows.ts', 'identity-store.ts'],
      ['self.ts', 'self.ts'],
    ]);
    expect(
      importCircles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads type-only, re-exported and dynamic imports from the files as edges', () => {
    const root = mkdtempSync(join(tmpdir(), 'import-graph-'));
    try {
      mkdirSync(join(root, 'sub'));
      writeFileSync(join(root, 'a.ts'), "import type { B } from './sub/b.ts';\nexport type A = B;\n");
      writeFileSync(join(root, 'sub', 'b.ts'), "export type B = number;\nexport { c } from '../c.ts';\n");
      writeFileSync(join(root, 'c.ts'), "export const c = () => import('./a.ts');\nimport 'node:fs';\n");
      const graph = importGraph(root);
      expect(Object.fromEntries(graph)).toEqual({
        'a.ts': ['sub/b.ts'],
        'sub/b.ts': ['c.ts'],
        'c.ts': ['a.ts'],
      });
      expect(importCircles(graph)).toEqual([['a.ts', 'sub/b.ts', 'c.ts', 'a.ts']]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
