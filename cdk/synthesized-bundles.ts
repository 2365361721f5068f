import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp } from './app.ts';

/**
 * The function bundles `cdk synth` produces, for the bundle test and the benchmark: each Lambda function
 * in the template, its asset directory and the module its `Handler` names.
 */
export interface SynthesizedBundle {
  logicalId: string;
  functionName: string;
  /** The file the runtime loads: `index.mjs` for `Handler: index.handler`. */
  file: string;
  exportName: string;
  /**
   * What a cold start reads and compiles: the entry module and the chunks it imports statically (the
   * bundling splits code, cdk/constructs/function-bundle.ts). The budgets hold this figure.
   */
  bytes: number;
  /** Every JavaScript file of the asset: `bytes` plus the chunks loaded on first use (an `import()`). */
  totalBytes: number;
  /** Every JavaScript file of the asset (the entry first), absolute paths. */
  files: string[];
  mapBytes: number | undefined;
  /** esbuild's metafile for the bundle (`index.meta.json`), when the bundling wrote one. */
  metafile: string | undefined;
  memorySize: number;
  /** The environment as the template has it: CloudFormation references are objects. */
  variables: Record<string, unknown>;
}

interface FunctionResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties: {
    FunctionName: string;
    Handler: string;
    MemorySize?: number;
    Code: { S3Key?: string };
    Environment?: { Variables?: Record<string, unknown> };
  };
}

/**
 * A new directory under `<projectRoot>/cdk.out`: inside the project, so that a bundle which kept a
 * package external would resolve it from the project's node_modules, as Lambda would from the runtime's.
 */
export function synthDirectory(projectRoot: string, prefix: string): string {
  const parent = path.join(projectRoot, 'cdk.out');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, prefix));
}

/** Synthesizes the app for `stage` into `outdir` (the caller removes it) and lists its function bundles. */
export function synthesizeBundles(stage: string, outdir: string): SynthesizedBundle[] {
  // Without CloudFront: its cross-region reader is CDK's own function, not one of the service's bundles.
  const built = buildApp({ stage, edgeProtection: false }, { outdir });
  built.app.synth();
  return templateBundles(
    outdir,
    JSON.parse(readFileSync(path.join(outdir, built.stack.templateFile), 'utf8')),
  );
}

/**
 * The function bundles of a template synthesized into `outdir`: the stack's, or a construct test's
 * (whose app wrote its assets there).
 */
export function templateBundles(outdir: string, template: { Resources?: Record<string, unknown> }) {
  return Object.entries((template.Resources ?? {}) as Record<string, FunctionResource>)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]) => bundleOf(outdir, id, r))
    .sort((a, b) => a.functionName.localeCompare(b.functionName));
}

/** The asset directory of a function: the asset metadata when CDK wrote it, else the Code S3Key's hash. */
function assetDirectory(outdir: string, resource: FunctionResource): string {
  const fromMetadata = resource.Metadata?.['aws:asset:path'];
  if (typeof fromMetadata === 'string') return path.resolve(outdir, fromMetadata);
  const hash = /^([0-9a-f]{64})\.zip$/.exec(resource.Properties.Code.S3Key ?? '')?.[1];
  if (!hash) throw new Error(`${resource.Properties.FunctionName}: no asset path and no asset S3Key`);
  return path.join(outdir, `asset.${hash}`);
}

function bundleOf(outdir: string, logicalId: string, resource: FunctionResource): SynthesizedBundle {
  const dir = assetDirectory(outdir, resource);
  const [moduleName, exportName] = resource.Properties.Handler.split('.') as [string, string];
  const file = ['.mjs', '.js', '.cjs'].map((ext) => path.join(dir, moduleName + ext)).find(existsSync);
  if (!file) throw new Error(`${resource.Properties.FunctionName}: no ${moduleName}.mjs in ${dir}`);
  const map = `${file}.map`;
  const metafilePath = path.join(dir, `${moduleName}.meta.json`);
  const metafile = existsSync(metafilePath) ? metafilePath : undefined;
  const files = [file, ...javascriptFiles(dir).filter((f) => f !== file)];
  // Without the metafile only the entry could be counted, and the chunks it loads at init would go unseen.
  if (!metafile && files.length > 1)
    throw new Error(`${resource.Properties.FunctionName}: chunks in ${dir} but no ${moduleName}.meta.json`);
  const size = (f: string) => statSync(f).size;
  const atInit = metafile ? outputsAtInit(metafile).map((o) => path.join(dir, o)) : [file];
  return {
    logicalId,
    functionName: resource.Properties.FunctionName,
    file,
    exportName,
    bytes: atInit.reduce((sum, f) => sum + size(f), 0),
    totalBytes: files.reduce((sum, f) => sum + size(f), 0),
    files,
    mapBytes: existsSync(map) ? statSync(map).size : undefined,
    metafile,
    // CloudFormation's default when the template names none.
    memorySize: resource.Properties.MemorySize ?? 128,
    variables: resource.Properties.Environment?.Variables ?? {},
  };
}

/** A bundle's JavaScript files, as against its maps and metafile. */
const JAVASCRIPT = /\.(mjs|js|cjs)$/;

/** The JavaScript files under an asset directory (the entry, its chunks). */
function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => JAVASCRIPT.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}

/**
 * The environment as plain strings, as the runtime would set it: CloudFormation references get the
 * caller's stand-ins. NODE_OPTIONS is left out unless `forNewProcess` (Node reads it only at start-up,
 * so it means something only to a process started with this environment).
 */
export function runtimeEnvironment(
  variables: Record<string, unknown>,
  standIns: Record<string, string>,
  forNewProcess = false,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (name === 'NODE_OPTIONS' && !forNewProcess) continue;
    if (typeof value === 'string') env[name] = value;
    else if (standIns[name] !== undefined) env[name] = standIns[name];
    else
      throw new Error(
        `environment variable ${name} is not a string and has no stand-in: ${JSON.stringify(value)}`,
      );
  }
  return env;
}

/** What a bundle is made of: output bytes per npm package (or per project folder), largest first. */
export interface BundleInput {
  name: string;
  bytes: number;
}

interface MetafileOutput {
  entryPoint?: string;
  imports: { path: string; kind: string; external?: boolean }[];
  inputs: Record<string, { bytesInOutput: number }>;
}

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
  outputs: Record<string, MetafileOutput>;
}

/** Which of a bundle's files count: all of them, or those a cold start loads. */
export type BundleScope = 'all' | 'init';

export function readMetafile(metafile: string): Metafile {
  return JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
}

/**
 * The JavaScript outputs of `scope`, keyed as in the metafile: for `init`, the entry and every chunk its
 * static imports reach (Node loads them before the handler module runs); an `import()` loads its chunk
 * where it is called.
 */
function outputKeys(meta: Metafile, scope: BundleScope): string[] {
  const keys = Object.keys(meta.outputs).filter((k) => JAVASCRIPT.test(k));
  const entry = keys.find((k) => meta.outputs[k]!.entryPoint !== undefined);
  if (!entry) throw new Error('the metafile has no output with an entry point');
  if (scope === 'all') return [entry, ...keys.filter((k) => k !== entry)];
  const reached = new Set([entry]);
  const queue = [entry];
  for (let key = queue.pop(); key !== undefined; key = queue.pop())
    for (const i of meta.outputs[key]!.imports)
      if (i.kind === 'import-statement' && !i.external && meta.outputs[i.path] && !reached.has(i.path)) {
        reached.add(i.path);
        queue.push(i.path);
      }
  return [...reached];
}

/**
 * The outputs a cold start loads, as paths relative to the asset directory (`index.mjs`, `chunks/...`):
 * the bundling names them so in the metafile (cdk/constructs/function-bundle.ts, `bundleFunction`).
 */
export function outputsAtInit(metafile: string): string[] {
  return outputKeys(readMetafile(metafile), 'init');
}

function outputsOf(metafile: string, scope: BundleScope): MetafileOutput[] {
  const meta = readMetafile(metafile);
  return outputKeys(meta, scope).map((k) => meta.outputs[k]!);
}

/** The files that put code into the bundle (esbuild also lists those tree-shaking dropped, at 0 bytes). */
export function bundledFiles(metafile: string, scope: BundleScope = 'all'): string[] {
  const files = new Set<string>();
  for (const output of outputsOf(metafile, scope))
    for (const [file, input] of Object.entries(output.inputs)) if (input.bytesInOutput > 0) files.add(file);
  return [...files];
}

/** Sums the metafile's `bytesInOutput` by package over the outputs of `scope`, largest first. */
export function bundleInputs(metafile: string, scope: BundleScope = 'all'): BundleInput[] {
  const bytes = new Map<string, number>();
  for (const output of outputsOf(metafile, scope))
    for (const [file, input] of Object.entries(output.inputs)) {
      const name = inputName(file);
      bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
    }
  return [...bytes]
    .map(([name, size]) => ({ name, bytes: size }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

/** `node_modules/@scope/pkg/...` counts for `@scope/pkg`; project files for their top two folders. */
export function inputName(file: string): string {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const scoped = parts[at + 1]?.startsWith('@');
    return parts.slice(at + 1, at + (scoped ? 3 : 2)).join('/');
  }
  return parts.slice(0, 2).join('/');
}
