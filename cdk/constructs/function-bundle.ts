import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import type * as Esbuild from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { apiKeyAuthorizer, routes } from '../../shared/routes.ts';
import { HOT_PATH_IDS } from '../cold-start.ts';

/**
 * The newest Node.js runtime aws-cdk-lib knows: cdk-nag AwsSolutions-L1 / Serverless-LambdaLatestVersion
 * fail on anything older. The bundles target it too.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * ESM bundles still contain CommonJS dependencies (X-Ray SDK under the Powertools tracer, undici) that call
 * `require`; without this banner a module fails at import with `Dynamic require of "util"`. esbuild puts it
 * at the top of every output file, each chunk included.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** The build-time switch eventbridge-loader.ts reads (`runtime` or `bundled`), replaced by esbuild's `define`. */
const EVENTBRIDGE_SOURCE = 'process.env.SMS_MFA_EVENTBRIDGE_CLIENT';

/** The module the runtime loads (`Handler: index.handler`) and the folder of the chunks it imports. */
export const ENTRY_NAME = 'index';
const CHUNK_FOLDER = 'chunks';

/**
 * How every function is bundled; each choice is measured by `npm run bench` (README, "Performance").
 * - Code splitting: a module imported with `import()` (undici on the first provider send, Secrets Manager's
 *   client on the first credential read, the EventBridge client on the first publish) goes to a chunk of
 *   its own that Node reads and compiles when the import runs. Bundled into one file, it was parsed and
 *   compiled at every cold start whether or not the instance ever used it: a send route's init was ~14 ms
 *   shorter split (docs/performance.md, "Code splitting").
 * - The AWS SDK is bundled rather than taken from the runtime: one tree-shaken, minified file
 *   initialises faster than resolving and evaluating the runtime's hundreds of SDK modules. What is rarely
 *   or never used comes from the runtime instead: the Lambda client (only the number-replacement notice
 *   invokes) and the credential providers after the environment one (Lambda always sets credentials in
 *   the environment).
 * - Source maps are written without sources and are not enabled at start-up (no --enable-source-maps):
 *   Node would read and parse the map during init. Stack traces can be mapped offline with them.
 * - The metafile (`index.meta.json`, never loaded) lets the bench and the budget tests name what a
 *   bundle is made of and which of its files load at init.
 */
export const BUNDLING = {
  bundle: true,
  platform: 'node',
  target: `node${/^nodejs(\d+)/.exec(FUNCTION_RUNTIME.name)![1]}`,
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: `${CHUNK_FOLDER}/[name]-[hash]`,
  banner: { js: ESM_REQUIRE_BANNER },
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  external: [
    '@aws-sdk/client-lambda',
    // Imported on first publish (and by the webhook delivery): from the runtime, no init cost before it;
    // bundled where the first request publishes before it answers (bundlingFor).
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-sqs',
    // Only the two expiry functions create schedules (cdk/constructs/expiry-reports.ts).
    '@aws-sdk/client-scheduler',
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-web-identity',
    '@aws-sdk/credential-provider-http',
    // Imported (dynamically) by the node provider chain only when the environment has no credentials,
    // which on Lambda it always has: 6.7 KiB of every bundle never run.
    '@smithy/credential-provider-imds',
    // undici's HTTP parser without WebAssembly SIMD (70 KiB), which it requires only when compiling the SIMD
    // build fails: every Lambda runtime's V8 (x86_64 and arm64) has SIMD, so the fallback is never run.
    // Kept out of the bundle rather than shipped unused; were it ever needed, the require fails loudly.
    '../llhttp/llhttp-wasm.js',
  ],
  // Where the EventBridge client comes from (shared/adapters/events/eventbridge-loader.ts): esbuild drops the
  // other import, so a bundle that takes it from the runtime loads it on first publish, not at init.
  define: { [EVENTBRIDGE_SOURCE]: JSON.stringify('runtime') },
} satisfies BuildOptions;

const EVENTBRIDGE_CLIENT = '@aws-sdk/client-eventbridge';
const SECRETS_MANAGER_CLIENT = '@aws-sdk/client-secrets-manager';

/**
 * The admin routes' functions (not the gateway test, which sends). They use Secrets Manager only for a
 * credential write or read (gateway credentials, hook secrets, the pepper of a store's test numbers or a
 * support lookup), imported on that first use (wiring/secrets.ts), and they already take the EventBridge
 * client from the runtime on their first audited write: the Secrets Manager client comes from the runtime
 * too. The functions that send read credentials on their first send and keep it bundled (in a chunk of
 * its own), as the DynamoDB client is.
 */
const ADMIN_IDS: ReadonlySet<string> = new Set(
  routes.filter((r) => r.auth === 'admin' && !r.operation.sends).map((r) => r.id),
);

/**
 * The hot path's functions that publish events before they answer (verify and the three `/v1` send
 * routes; not the authorizer): on their first request the runtime's unbundled EventBridge client cost
 * 2-3 times health's whole init (resolving and evaluating its modules), so it is bundled into them, as
 * the DynamoDB client is. Every other function keeps it external (docs/performance.md).
 */
export function bundlingFor(functionId: string): BuildOptions & typeof BUNDLING {
  if (ADMIN_IDS.has(functionId))
    return { ...BUNDLING, external: [...BUNDLING.external, SECRETS_MANAGER_CLIENT] };
  if (!HOT_PATH_IDS.includes(functionId) || functionId === apiKeyAuthorizer.id) return BUNDLING;
  return {
    ...BUNDLING,
    external: BUNDLING.external.filter((m) => m !== EVENTBRIDGE_CLIENT),
    define: { ...BUNDLING.define, [EVENTBRIDGE_SOURCE]: JSON.stringify('bundled') },
  };
}

/**
 * Bundles `entry` into `outputDir` (index.mjs, its chunks, maps, index.meta.json).
 *
 * esbuild builds in memory as if the output directory were the project root, and the files are then
 * written to `outputDir`: source maps name their sources (`shared/...`, `node_modules/...`) and the
 * metafile its outputs (`index.mjs`, `chunks/...`) from there, and the chunks' content hashes cover those
 * maps. Built where CDK bundles (a temporary directory named from the app's absolute output path), they
 * would follow where the project is checked out, and a deploy from another checkout would replace every
 * function.
 */
export function bundleFunction(entry: string, outputDir: string, options: BuildOptions, projectRoot: string) {
  // Required here, not imported: an app that synthesizes without bundling (`aws:cdk:bundling-stacks`) or
  // only reads the construct's types needs no esbuild, as with NodejsFunction.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const result = buildSync({
    ...options,
    entryPoints: { [ENTRY_NAME]: entry },
    outdir: projectRoot,
    absWorkingDir: projectRoot,
    write: false,
  });
  for (const file of result.outputFiles) {
    const target = path.join(outputDir, path.relative(projectRoot, file.path));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  if (result.metafile)
    writeFileSync(path.join(outputDir, `${ENTRY_NAME}.meta.json`), JSON.stringify(result.metafile));
}

/**
 * A function's code: `entry` bundled by esbuild in this process (no Docker), its hash taken from the
 * output as NodejsFunction does. NodejsFunction itself cannot split code: it passes esbuild `--outfile`,
 * and splitting needs an output directory. `aws:cdk:bundling-stacks` still skips the bundling.
 */
export function functionCode(entry: string, projectRoot: string, functionId: string): Code {
  if (path.relative(projectRoot, entry).startsWith('..'))
    throw new Error(`${functionId}: the entry ${entry} is outside the project root ${projectRoot}`);
  const options = bundlingFor(functionId);
  return Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled or run: local bundling always succeeds or throws. CDK keys its cache of staged assets
      // on these props (functions dropped), so `command` names what the local bundling builds.
      image: DockerImage.fromRegistry('sms-mfa-bundles-locally'),
      command: ['esbuild', path.relative(projectRoot, entry), JSON.stringify(options)],
      local: {
        tryBundle(outputDir) {
          bundleFunction(entry, outputDir, options, projectRoot);
          return true;
        },
      },
    },
  });
}
