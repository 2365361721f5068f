import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';

/**
 * Dependencies no source file names, each with what uses it: a type package, a command the scripts or
 * tests run, or an optional peer a used package loads.
 */
const USED_WITHOUT_IMPORT: Record<string, string> = {
  '@types/aws-lambda': 'types of the handlers (import type from "aws-lambda")',
  '@types/node': 'types of Node',
  typescript: 'npm run typecheck (tsc)',
  eslint: 'npm run lint',
  prettier: 'npm run lint, npm run format',
  'aws-cdk': 'npm run synth (cdk)',
  '@stoplight/spectral-cli': 'test/unit/spectral.test.ts runs node_modules/.bin/spectral',
  tsx: 'npm start, npm run admin and the tests that start them',
  '@redocly/cli': 'npm run docs: local/docs/render-api-docs.ts runs node_modules/@redocly/cli/bin/cli.js',
  '@aws-lambda-powertools/jmespath':
    'optional peer of @aws-lambda-powertools/logger: its correlationId entry point imports it',
};

const SOURCE_DIRS = [
  'shared',
  'functions',
  'local',
  'cli',
  'cdk',
  'console',
  'bench',
  'integrations',
  'test',
];
const SOURCE_FILES = /\.(ts|tsx|js|mjs|cjs|yaml)$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'cdk.out' || name === 'results') return [];
    return statSync(path).isDirectory() ? sources(path) : SOURCE_FILES.test(name) ? [path] : [];
  });
}

describe('package.json names only what the project uses', () => {
  it('every dependency is imported by a source file, or is used without an import for a stated reason', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const files = [
      ...SOURCE_DIRS.flatMap((dir) => sources(join(PROJECT_ROOT, dir))),
      ...readdirSync(PROJECT_ROOT)
        .filter((name) => SOURCE_FILES.test(name) || name === '.spectral.yaml')
        .map((name) => join(PROJECT_ROOT, name)),
    ];
    const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    const unused = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => {
      if (name in USED_WITHOUT_IMPORT) return false;
      const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      return !new RegExp(`['"]${escaped}(/[^'"]*)?['"]`).test(text);
    });
    expect(unused, `checked ${files.length} files under ${relative('/', PROJECT_ROOT)}`).toEqual([]);
    // Each reason names a dependency that is still there.
    for (const name of Object.keys(USED_WITHOUT_IMPORT)) {
      expect({ ...pkg.dependencies, ...pkg.devDependencies }, name).toHaveProperty([name]);
    }
  });
});
