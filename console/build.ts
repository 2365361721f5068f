/**
 * Builds the admin console: the Preact page bundled and minified by the project's esbuild, next to the
 * static files in `console/public/`. The local server and the signing proxy build it in memory on first
 * use; `npm run console:build` writes the same files to `console/dist/` and prints their sizes.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)));

export interface ConsoleFile {
  contentType: string;
  body: Buffer;
}

/** File name (no folders: the page is flat) → content. */
export type ConsoleFiles = Map<string, ConsoleFile>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function contentType(name: string): string {
  const type = CONTENT_TYPES[extname(name)];
  if (!type) throw new Error(`console: no content type for ${name}`);
  return type;
}

export async function buildConsole(): Promise<ConsoleFiles> {
  const { build } = await import('esbuild'); // only when the console is asked for
  const result = await build({
    entryPoints: [join(CONSOLE_ROOT, 'src/main.tsx'), join(CONSOLE_ROOT, 'src/styles.css')],
    entryNames: '[name]',
    outdir: join(CONSOLE_ROOT, 'dist'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const files: ConsoleFiles = new Map();
  for (const output of result.outputFiles) {
    const name = basename(output.path);
    files.set(name, { contentType: contentType(name), body: Buffer.from(output.contents) });
  }
  const publicDir = join(CONSOLE_ROOT, 'public');
  for (const name of await readdir(publicDir)) {
    files.set(name, { contentType: contentType(name), body: await readFile(join(publicDir, name)) });
  }
  return files;
}

async function main(): Promise<void> {
  const outdir = join(CONSOLE_ROOT, 'dist');
  const files = await buildConsole();
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  for (const [name, file] of files) {
    await writeFile(join(outdir, name), file.body);
    console.log(`${name.padEnd(14)} ${(file.body.length / 1024).toFixed(1).padStart(6)} KiB`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
