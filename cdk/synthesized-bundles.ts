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
  /** The environment as the template has it: CloudFormation references are objects. */
  variables: Record<string, unknown>;
}

interface FunctionResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties: {
    FunctionName: string;
    Handler: string;
    Code: { S3Key?: string };
    Environment?: { Variables?: Record<string, unknown> };
  };
}

/**
 * A new directory under `<projectRoot>/cdk.out`: inside the project, so the bundles' external
 * `@aws-sdk/*` imports resolve from its node_modules, as Lambda resolves them from the runtime's.
 */
export function synthDirectory(projectRoot: string, prefix: string): string {
  const parent = path.join(projectRoot, 'cdk.out');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, prefix));
}

/** Synthesizes the app for `stage` into `outdir` (the caller removes it) and lists its function bundles. */
export function synthesizeBundles(stage: string, outdir: string): SynthesizedBundle[] {
  const built = buildApp({ stage }, { outdir });
  built.app.synth();
  const template = JSON.parse(readFileSync(path.join(outdir, built.stack.templateFile), 'utf8')) as {
    Resources: Record<string, FunctionResource>;
  };
  return Object.entries(template.Resources)
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
  return {
    logicalId,
    functionName: resource.Properties.FunctionName,
    file,
    exportName,
    bytes: statSync(file).size,
    mapBytes: existsSync(map) ? statSync(map).size : undefined,
    variables: resource.Properties.Environment?.Variables ?? {},
  };
}

/**
 * The environment as plain strings, as the runtime would set it: CloudFormation references get the
 * caller's stand-ins; NODE_OPTIONS is left out (Node reads it only at start-up).
 */
export function runtimeEnvironment(
  variables: Record<string, unknown>,
  standIns: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (name === 'NODE_OPTIONS') continue;
    if (typeof value === 'string') env[name] = value;
    else if (standIns[name] !== undefined) env[name] = standIns[name];
    else
      throw new Error(
        `environment variable ${name} is not a string and has no stand-in: ${JSON.stringify(value)}`,
      );
  }
  return env;
}
