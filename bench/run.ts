import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportSample } from './module-init.ts';
import type { BenchResults, BenchSettings, InitTimes } from './report.ts';

/**
 * `npm run bench`: issue and verify on the local stack, DynamoDB requests per operation, bundle sizes
 * and module init times; writes bench/results/latest.{json,md} and prints the Markdown.
 */

const SETTINGS: BenchSettings = {
  requests: 300,
  concurrency: 8,
  warmup: 20,
  accountingRuns: 10,
  configCacheSeconds: 60,
  // One process at a time: on 2 cores, two imports at once (plus the bench itself) measure contention.
  // 15 and 9, not 9 and 5: on this 2-core machine a 9-run median of an init moved by about 5% from run
  // to run (the authorizer read 1.03× health in one, 0.97× in 31 interleaved imports), and a 5-run
  // first request by 30 ms, both as large as what the issue's targets tell apart.
  initRuns: 15,
  initParallelism: 1,
  firstRequestRuns: 9,
};

// Before any handler module loads: warm config caches, and quiet logs so stdout holds the report.
process.env.CONFIG_CACHE_SECONDS = String(SETTINGS.configCacheSeconds);
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results');

const temporary = new Set<string>();
const remove = (dir: string) => {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  temporary.delete(dir);
};
// On a signal too: process.exit runs the 'exit' listeners, DynamoDB Local's (which stops it) among them.
process.once('exit', () => [...temporary].forEach(remove));
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)
  process.on(signal, () => process.exit(code));

function machine(): BenchResults['machine'] {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  };
}

/** Timings to 0.01 ms: finer digits are noise. */
const twoDecimals = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;

async function main(): Promise<void> {
  const started = performance.now();
  const { median } = await import('./stats.ts');
  const initTimes = (samples: ImportSample[]): InitTimes => ({
    runsMs: samples.map((s) => s.importMs),
    medianMs: median(samples.map((s) => s.importMs)),
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    medianRssMiB: median(samples.map((s) => s.rssMiB)),
  });

  const dataDir = mkdtempSync(join(os.tmpdir(), 'sms-mfa-bench-'));
  temporary.add(dataDir);
  const { benchIssueAndVerify } = await import('./issue-verify.ts');
  const { operations, accounting } = await benchIssueAndVerify(dataDir, SETTINGS);
  remove(dataDir);

  const { startDynamoDbLocal } = await import('../local/dynamodb-local.ts');
  const { benchHotStore } = await import('./hot-store.ts');
  const dynamodb = await startDynamoDbLocal();
  const hotStore = await benchHotStore(dynamodb.endpoint);
  const { benchPumping } = await import('./pumping.ts');
  const pumping = await benchPumping(dynamodb.endpoint);
  dynamodb.stop();
  const { benchRouting } = await import('./routing.ts');
  const routing = benchRouting();

  const { synthBundles, synthDirectory } = await import('./bundles.ts');
  const outdir = synthDirectory(PROJECT_ROOT);
  temporary.add(outdir);
  const bundles = synthBundles(outdir);
  const emptyModule = join(outdir, 'empty.mjs');
  writeFileSync(emptyModule, 'export {};\n');
  const { measureImports } = await import('./module-init.ts');
  const { lambdaEnvironment } = await import('./lambda-environment.ts');
  const [emptyRuns, ...bundleRuns] = await measureImports(
    [
      { file: emptyModule, environment: lambdaEnvironment('empty', 128) },
      ...bundles.map((b) => ({
        file: b.file,
        exportName: b.exportName,
        environment: { ...lambdaEnvironment(b.functionName, b.memorySize), ...b.environment },
      })),
    ],
    SETTINGS.initRuns,
    SETTINGS.initParallelism,
  );
  const firstRequestDir = mkdtempSync(join(os.tmpdir(), 'sms-mfa-bench-first-'));
  temporary.add(firstRequestDir);
  const { benchFirstRequests } = await import('./first-request.ts');
  const firstRequests = await benchFirstRequests(bundles, firstRequestDir, SETTINGS.firstRequestRuns);
  remove(firstRequestDir);
  remove(outdir);

  const { INIT_TARGET_MS, isHotPath } = await import('./targets.ts');
  const emptyModuleInit = initTimes(emptyRuns ?? []);
  const healthIndex = bundles.findIndex((b) => b.functionName.endsWith('-health'));
  const healthInit = initTimes(bundleRuns[healthIndex] ?? []);
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: machine(),
    settings: SETTINGS,
    operations,
    accounting,
    hotStore,
    pumping,
    routing,
    bundles: bundles.map((b, i) => {
      const init = initTimes(bundleRuns[i] ?? []);
      return {
        functionName: b.functionName,
        bytes: b.bytes,
        kib: Math.round((b.bytes / 1024) * 10) / 10,
        totalKib: Math.round((b.totalBytes / 1024) * 10) / 10,
        memorySize: b.memorySize,
        hotPath: isHotPath(b.functionName),
        targetMs: isHotPath(b.functionName) ? INIT_TARGET_MS.hotPath : INIT_TARGET_MS.other,
        init,
        ratioToEmpty: init.medianMs / emptyModuleInit.medianMs,
        ratioToHealth: init.medianMs / healthInit.medianMs,
        topInputs: b.topInputs,
      };
    }),
    emptyModuleInit,
    firstRequests,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  };

  // Formatted as `prettier --check .` expects: the results are committed.
  const { renderMarkdown } = await import('./report.ts');
  const prettier = await import('prettier');
  const format = async (text: string, file: string) =>
    prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const jsonFile = join(RESULTS_DIR, 'latest.json');
  const markdownFile = join(RESULTS_DIR, 'latest.md');
  const markdown = await format(renderMarkdown(results), markdownFile);
  writeFileSync(jsonFile, await format(JSON.stringify(results, twoDecimals), jsonFile));
  writeFileSync(markdownFile, markdown);
  process.stdout.write(markdown);
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  [...temporary].forEach(remove);
}
