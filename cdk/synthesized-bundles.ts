import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
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
  bytes: number;
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
  const metafile = path.join(dir, `${moduleName}.meta.json`);
  return {
    logicalId,
    functionName: resource.Properties.FunctionName,
    file,
    exportName,
    bytes: statSync(file).size,
    mapBytes: existsSync(map) ? statSync(map).size : undefined,
    metafile: existsSync(metafile) ? metafile : undefined,
    // CloudFormation's default when the template names none.
    memorySize: resource.Properties.MemorySize ?? 128,
    variables: resource.Properties.Environment?.Variables ?? {},
  };
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

interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
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

/** The files that put code into the bundle (esbuild also lists those tree-shaking dropped, at 0 bytes). */
export function bundledFiles(metafile: string): string[] {
  const output = entryOutput(metafile);
  return Object.keys(output.inputs).filter((file) => output.inputs[file]!.bytesInOutput > 0);
}

function entryOutput(metafile: string) {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
  const output = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`${metafile}: no output with an entry point`);
  return output;
}

/** Sums the metafile's `bytesInOutput` of the entry point's output by package, largest first. */
export function bundleInputs(metafile: string): BundleInput[] {
  const output = entryOutput(metafile);
  const bytes = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const name = inputName(file);
    bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...bytes]
    .map(([name, size]) => ({ name, bytes: size }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}
