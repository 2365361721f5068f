import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../cdk/app.ts';

/**
 * The function bundles `cdk synth` produces, found the way test/cdk/bundles.test.ts finds them: each
 * Lambda function in the template, its asset directory, and the module its `Handler` names.
 */

const STAGE = 'bench';
/** Stand-ins for the CloudFormation references in the functions' environment. */
const TABLE_NAME = `sms-mfa-${STAGE}-table`;
const NOTIFIER_FUNCTION_NAME = `sms-mfa-${STAGE}-replaced-number-notifier`;

export interface Bundle {
  functionName: string;
  /** The file the runtime loads: `index.mjs` for `Handler: index.handler`. */
  file: string;
  exportName: string;
  bytes: number;
  /** The function's environment as the runtime would set it (NODE_OPTIONS left out). */
  environment: Record<string, string>;
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

function assetDirectory(outdir: string, resource: FunctionResource): string {
  const fromMetadata = resource.Metadata?.['aws:asset:path'];
  if (typeof fromMetadata === 'string') return path.resolve(outdir, fromMetadata);
  const hash = /^([0-9a-f]{64})\.zip$/.exec(resource.Properties.Code.S3Key ?? '')?.[1];
  if (!hash) throw new Error(`${resource.Properties.FunctionName}: no asset path and no asset S3Key`);
  return path.join(outdir, `asset.${hash}`);
}

function runtimeEnvironment(variables: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    // Node reads NODE_OPTIONS at start-up; the bench measures the import alone.
    if (name === 'NODE_OPTIONS') continue;
    if (typeof value === 'string') env[name] = value;
    else if (name === 'TABLE_NAME') env[name] = TABLE_NAME;
    else if (name === 'NOTIFIER_FUNCTION_NAME') env[name] = NOTIFIER_FUNCTION_NAME;
    else throw new Error(`environment variable ${name} has no stand-in: ${JSON.stringify(value)}`);
  }
  return env;
}

function bundleOf(outdir: string, resource: FunctionResource): Bundle {
  const dir = assetDirectory(outdir, resource);
  const [moduleName, exportName] = resource.Properties.Handler.split('.') as [string, string];
  const file = ['.mjs', '.js', '.cjs'].map((ext) => path.join(dir, moduleName + ext)).find(existsSync);
  if (!file) throw new Error(`${resource.Properties.FunctionName}: no ${moduleName}.mjs in ${dir}`);
  return {
    functionName: resource.Properties.FunctionName,
    file,
    exportName,
    bytes: statSync(file).size,
    environment: runtimeEnvironment(resource.Properties.Environment?.Variables ?? {}),
  };
}

/**
 * A new directory for synth under `<projectRoot>/cdk.out`: inside the project, so the bundles' external
 * `@aws-sdk/*` imports resolve from its node_modules, as Lambda resolves them from the runtime's.
 */
export function synthDirectory(projectRoot: string): string {
  const parent = path.join(projectRoot, 'cdk.out');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, 'bench-bundles-'));
}

/** Synthesizes the app into `outdir` (the caller removes it) and lists the function bundles. */
export function synthBundles(outdir: string): Bundle[] {
  const built = buildApp({ stage: STAGE }, { outdir });
  built.app.synth();
  const template = JSON.parse(readFileSync(path.join(outdir, built.stack.templateFile), 'utf8')) as {
    Resources: Record<string, FunctionResource>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => bundleOf(outdir, r))
    .sort((a, b) => a.functionName.localeCompare(b.functionName));
}
