import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script, constants as vmConstants } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../cdk/app.ts';
import { PROJECT_ROOT } from '../../cdk/sms-mfa-stack.ts';
import { apiKeyAuthorizer, replacementNotifier, routes } from '../../shared/routes.ts';

/**
 * Every function asset `cdk synth` produces is imported here, in plain Node, exactly as the Lambda
 * runtime would load it (an ES module whose `@aws-sdk/*` imports stay external): a bundle that fails
 * at import (a `Dynamic require`, a missing external, top-level I/O) fails this test instead of the
 * first request after a deploy. The sizes are printed so a bundle that balloons is visible.
 */

const STAGE = 'test';
const KIB = 1024;
/** Far above today's bundles (a few hundred KiB); a bundle past it has pulled in something it should not. */
const MAX_BUNDLE_BYTES = 2 * KIB * KIB;
/** Stands in for the table's `Ref`, which only CloudFormation resolves. */
const TABLE_NAME = 'sms-mfa-test-bundles';

type Json = Record<string, unknown>;
interface FunctionResource {
  Type: string;
  Metadata?: Json;
  Properties: {
    FunctionName: string;
    Handler: string;
    Code: { S3Key?: string };
    Environment?: { Variables?: Record<string, unknown> };
  };
}

interface Bundle {
  logicalId: string;
  functionName: string;
  /** The file the runtime loads: `index.mjs` for `Handler: index.handler`. */
  file: string;
  exportName: string;
  bytes: number;
  mapBytes: number | undefined;
  environment: Record<string, unknown>;
}

/** The asset directory of a function: the asset metadata when CDK wrote it, else the Code S3Key's hash. */
function assetDirectory(outdir: string, resource: FunctionResource): string {
  const fromMetadata = resource.Metadata?.['aws:asset:path'];
  if (typeof fromMetadata === 'string') return path.resolve(outdir, fromMetadata);
  const hash = /^([0-9a-f]{64})\.zip$/.exec(resource.Properties.Code.S3Key ?? '')?.[1];
  if (!hash) throw new Error(`${resource.Properties.FunctionName}: no asset path and no asset S3Key`);
  return path.join(outdir, `asset.${hash}`);
}

function bundleOf(outdir: string, logicalId: string, resource: FunctionResource): Bundle {
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
    environment: resource.Properties.Environment?.Variables ?? {},
  };
}

/** The function's environment as plain strings; CloudFormation references get stand-ins. */
function runtimeEnvironment(variables: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    // Node reads NODE_OPTIONS only at start-up; set here it would only leak into child processes.
    if (name === 'NODE_OPTIONS') continue;
    if (typeof value === 'string') env[name] = value;
    else if (name === 'TABLE_NAME') env[name] = TABLE_NAME;
    else if (name === 'NOTIFIER_FUNCTION_NAME') env[name] = 'sms-mfa-test-replaced-number-notifier';
    else
      throw new Error(
        `environment variable ${name} is not a string and has no stand-in: ${JSON.stringify(value)}`,
      );
  }
  return env;
}

/**
 * Node's own `import()`, out of Vitest's reach. Vitest runs test files through its module runner and
 * routes every `import()` in them there too, which would put each bundle (over a MiB, minified) through
 * Vite's transform, slowly, and load it differently from the Lambda runtime. A script compiled with
 * Node's default loader imports the file exactly as `node index.mjs` would.
 */
const nativeImport = new Script('(specifier) => import(specifier)', {
  filename: 'bundles-native-import.js',
  importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}).runInThisContext() as (specifier: string) => Promise<Record<string, unknown>>;

const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KiB`;

describe('function bundles from synth', { timeout: 240_000 }, () => {
  let outdir: string;
  let built: BuiltApp;
  let bundles: Bundle[];

  beforeAll(() => {
    // Inside the project, not the system temp dir: the bundles keep `@aws-sdk/*` external and resolve it
    // from the project's node_modules by walking up, as Lambda resolves it from the runtime's.
    const parent = path.join(PROJECT_ROOT, 'cdk.out');
    mkdirSync(parent, { recursive: true });
    outdir = mkdtempSync(path.join(parent, 'test-bundles-'));
    built = buildApp({ stage: STAGE }, { outdir });
    built.app.synth();
    const template = JSON.parse(readFileSync(path.join(outdir, built.stack.templateFile), 'utf8')) as {
      Resources: Record<string, FunctionResource>;
    };
    bundles = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => bundleOf(outdir, id, r))
      .sort((a, b) => a.functionName.localeCompare(b.functionName));
  }, 240_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('has one function per route plus the API key authorizer and the notifier, each with its own bundle', () => {
    expect(bundles).toHaveLength(routes.length + 2);
    expect(bundles.map((b) => b.functionName).sort()).toEqual(
      [...routes.map((r) => r.id), apiKeyAuthorizer.id, replacementNotifier.id]
        .map((id) => `sms-mfa-${STAGE}-${id}`)
        .sort(),
    );
    expect(new Set(bundles.map((b) => b.file)).size).toBe(bundles.length);
  });

  it('keeps every bundle under the size ceiling, and prints the sizes', () => {
    const width = Math.max(...bundles.map((b) => b.functionName.length));
    const lines = bundles.map(
      (b) =>
        `${b.functionName.padEnd(width)}  ${kib(b.bytes).padStart(10)}  (map ${b.mapBytes === undefined ? 'none' : kib(b.mapBytes)})`,
    );
    const total = bundles.reduce((sum, b) => sum + b.bytes, 0);
    console.log(`bundle sizes (${bundles.length} functions, ${kib(total)} in all):\n${lines.join('\n')}`);
    for (const bundle of bundles) {
      expect(bundle.bytes, `${bundle.functionName} bundle size`).toBeGreaterThan(0);
      expect(bundle.bytes, `${bundle.functionName} bundle size`).toBeLessThan(MAX_BUNDLE_BYTES);
      // sourceMap: true in route-function.ts; the runtime gets NODE_OPTIONS=--enable-source-maps.
      expect(bundle.mapBytes, `${bundle.functionName} source map`).toBeGreaterThan(0);
    }
  });

  it('bundles the SMS provider adapters (undici) only into functions that send', () => {
    const sends = new Set(
      [...routes, apiKeyAuthorizer, replacementNotifier]
        .filter((f) => f.access.includes('sms:send'))
        .map((f) => `sms-mfa-${STAGE}-${f.id}`),
    );
    expect(sends.size).toBeGreaterThan(0);
    for (const bundle of bundles) {
      const hasAdapters = readFileSync(bundle.file, 'utf8').includes('ProxyAgent');
      expect(hasAdapters, bundle.functionName).toBe(sends.has(bundle.functionName));
    }
  });

  it('imports every bundle in Node without touching the network, and finds its handler export', async () => {
    // Every function gets the same environment (verify adds the notifier's name); apply it as Lambda
    // would before the module loads.
    const shared = (b: Bundle) => {
      const { NOTIFIER_FUNCTION_NAME: _notifier, ...rest } = runtimeEnvironment(b.environment);
      return rest;
    };
    const environments = new Set(bundles.map((b) => JSON.stringify(shared(b))));
    expect(environments.size).toBe(1);
    const env = runtimeEnvironment(bundles.find((b) => b.environment.NOTIFIER_FUNCTION_NAME)!.environment);
    expect(env).toMatchObject({
      TABLE_NAME,
      SECRET_STORE: 'secrets-manager',
      SECRET_NAME_PREFIX: `sms-mfa/${STAGE}/`,
      POWERTOOLS_SERVICE_NAME: 'sms-mfa',
    });
    const saved = { ...process.env };
    Object.assign(process.env, env, { AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' });

    // Any TCP connection opened while importing (an SDK client, a metadata lookup, undici) shows up here.
    const connections: string[] = [];
    const onSocket = (message: unknown) => {
      const socket = (message as { socket?: { remoteAddress?: string } }).socket;
      connections.push(socket?.remoteAddress ?? 'a socket');
    };
    subscribe('net.client.socket', onSocket);
    const failures: string[] = [];
    try {
      for (const bundle of bundles) {
        const started = Date.now();
        try {
          const module = await nativeImport(pathToFileURL(bundle.file).href);
          if (typeof module[bundle.exportName] !== 'function') {
            failures.push(
              `${bundle.functionName}: export ${bundle.exportName} is ${typeof module[bundle.exportName]}`,
            );
          }
        } catch (error) {
          failures.push(
            `${bundle.functionName}: import failed: ${error instanceof Error ? error.stack : String(error)}`,
          );
        }
        const took = Date.now() - started;
        if (took > 10_000) failures.push(`${bundle.functionName}: import took ${took} ms`);
      }
    } finally {
      unsubscribe('net.client.socket', onSocket);
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(failures).toEqual([]);
    expect(connections, 'network connections opened while importing').toEqual([]);
  });
});
