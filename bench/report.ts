import type { Accounting } from './accounting.ts';
import type { BundleInput } from '../cdk/synthesized-bundles.ts';
import type { DynamoDbTally } from './dynamodb-requests.ts';
import type { HotStoreResult } from './hot-store.ts';
import type { PumpingResult } from './pumping.ts';
import { renderRouting, type RoutingBench } from './routing.ts';
import type { FirstRequests } from './first-request.ts';
import type { LatencySummary } from './stats.ts';

/** The figures `npm run bench` writes to bench/results/latest.json, and their Markdown rendering. */

export interface MachineInfo {
  node: string;
  cpuModel: string;
  cores: number;
  platform: string;
  memoryGiB: number;
}

export interface BenchSettings {
  requests: number;
  concurrency: number;
  warmup: number;
  accountingRuns: number;
  configCacheSeconds: number;
  initRuns: number;
  initParallelism: number;
  firstRequestRuns: number;
}

export interface OperationResult {
  name: string;
  route: string;
  latency: LatencySummary;
  /** The warm-up requests, one at a time (the first ones fill the caches). */
  warmupLatency: LatencySummary;
  statuses: Record<string, number>;
  dynamodb: DynamoDbTally;
}

export interface InitTimes {
  runsMs: number[];
  medianMs: number;
  /** CPU time (user + system) of the import: what a smaller Lambda CPU share stretches. */
  medianCpuMs: number;
  /** Resident memory of the process right after the import. */
  medianRssMiB: number;
}

export interface BundleResult {
  functionName: string;
  /** What a cold start loads: the entry module and the chunks it imports statically. */
  bytes: number;
  kib: number;
  /** The whole asset, the chunks loaded on first use (an `import()`) included. */
  totalKib: number;
  memorySize: number;
  hotPath: boolean;
  /** The issue's target for this function's median init. */
  targetMs: number;
  init: InitTimes;
  /** Median init over the empty module's median of the same run. */
  ratioToEmpty: number;
  /** Init median over `health`'s in the same run: absolute figures follow the machine's load. */
  ratioToHealth: number;
  topInputs: BundleInput[];
}

export interface BenchResults {
  date: string;
  machine: MachineInfo;
  settings: BenchSettings;
  operations: OperationResult[];
  /** Issue and verify counted one at a time, split at the answer (bench/accounting.ts). */
  accounting: Accounting[];
  /** One store's sends with DynamoDB's transaction-conflict rule enforced, before and after the rebuild. */
  hotStore?: HotStoreResult;
  /** The pumping simulation (issue 13): what the fraud guard let through and what it cost in latency. */
  pumping?: PumpingResult;
  /** The routing simulation (issue 26): ordered vs adaptive on the same seeds. */
  routing?: RoutingBench;
  bundles: BundleResult[];
  /** Importing an empty module the same way: what no bundle can beat. */
  emptyModuleInit: InitTimes;
  firstRequests: FirstRequests;
  durationSeconds: number;
}

const ms = (value: number) => value.toFixed(1);
const perRequest = (value: number) => value.toFixed(2);
/** `GetItem ×300 (4.2 ms), …`: counts by name, with a mean time each when given. */
export function counts(byName: Record<string, number>, meanMs: Record<string, number> = {}): string {
  const entries = Object.entries(byName).map(([name, count]) => {
    const mean = meanMs[name];
    return `${name.replace(/Command$/, '')} ×${count}${mean === undefined ? '' : ` (${ms(mean)} ms)`}`;
  });
  return entries.join(', ') || 'none';
}

/** A GitHub Markdown table; `right` marks the columns that hold numbers. */
export function markdownTable(headers: string[], rows: string[][], right: ReadonlySet<number> = new Set()) {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = headers.map((_, i) => (right.has(i) ? '---:' : '---'));
  return [line(headers), `|${rule.map((r) => ` ${r} `).join('|')}|`, ...rows.map(line)].join('\n');
}

export function renderMarkdown(results: BenchResults): string {
  const { machine, settings } = results;
  const health = results.bundles.find((b) => b.functionName.endsWith('-health'));
  const hotTarget = results.bundles.find((b) => b.hotPath)?.targetMs;
  const otherTarget = results.bundles.find((b) => !b.hotPath)?.targetMs;
  const first = results.firstRequests;
  return [
    '# sms-mfa bench',
    '',
    `${results.date} · Node ${machine.node} · ${machine.cpuModel} · ${machine.cores} cores · ` +
      `${machine.platform} · ${machine.memoryGiB} GiB · run took ${results.durationSeconds.toFixed(0)} s`,
    '',
    `## Latency and throughput (local stack, in-process)`,
    '',
    `${settings.requests} requests per operation, ${settings.concurrency} in flight, after ` +
      `${settings.warmup} warm-up requests; config cache ${settings.configCacheSeconds} s (warm).`,
    '',
    markdownTable(
      [
        'Operation',
        'Route',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'mean ms',
        'max ms',
        'req/s',
        'Statuses',
        'Warm-up p50 ms, 1 in flight',
      ],
      results.operations.map((o) => [
        o.name,
        `\`${o.route}\``,
        ms(o.latency.p50Ms),
        ms(o.latency.p95Ms),
        ms(o.latency.p99Ms),
        ms(o.latency.meanMs),
        ms(o.latency.maxMs),
        o.latency.throughputPerSecond.toFixed(1),
        counts(o.statuses),
        ms(o.warmupLatency.p50Ms),
      ]),
      new Set([2, 3, 4, 5, 6, 7, 9]),
    ),
    '',
    '## DynamoDB requests per operation',
    '',
    "Measured phases only, with each command's mean SDK time. The authorizer's requests (`APIKEY#` items) are " +
      'counted apart: deployed, API Gateway caches its answer for 30 s.',
    '',
    markdownTable(
      ['Operation', 'Per request', 'Requests (measured)', 'Authorizer per request', 'Authorizer requests'],
      results.operations.map((o) => [
        o.name,
        perRequest(o.dynamodb.routePerRequest),
        counts(o.dynamodb.route, o.dynamodb.routeMeanMs),
        perRequest(o.dynamodb.authorizerPerRequest),
        counts(o.dynamodb.authorizer),
      ]),
      new Set([1, 3]),
    ),
    '',
    ...renderAccounting(results.accounting, settings.accountingRuns),
    ...renderHotStore(results.hotStore),
    ...renderPumping(results.pumping),
    ...renderRouting(results.routing),
    '## Bundles and module init',
    '',
    `Each function's asset from \`cdk synth\` (AWS SDK bundled, code split): \`Init KiB\` is what a cold start ` +
      `loads (\`index.mjs\` and the chunks it imports statically), \`Asset KiB\` adds the chunks an \`import()\` ` +
      `loads on first use. Init = \`await import()\` of \`index.mjs\` in a fresh ` +
      `\`node\` with the function's environment and the variables the Lambda runtime adds (tracer on), ` +
      `median of ${settings.initRuns} runs, ${settings.initParallelism} at a time, interleaved with an ` +
      `empty module: ${ms(results.emptyModuleInit.medianMs)} ms (runs ${results.emptyModuleInit.runsMs.map(ms).join(', ')}); ` +
      `\`health\`: ${ms(health?.init.medianMs ?? Number.NaN)} ms. Target: hot path (★) ≤ ${hotTarget} ms, ` +
      `every other function ≤ ${otherTarget} ms. CPU = user + system time of the import; RSS right after it.`,
    '',
    markdownTable(
      [
        'Function',
        'Memory MB',
        'Init KiB',
        'Asset KiB',
        'Init median ms',
        '× empty',
        '× health',
        'CPU ms',
        'RSS MiB',
        'Target ms',
        'Init runs ms',
      ],
      [
        ...results.bundles.map((b) => [
          `${b.hotPath ? '★ ' : ''}${b.functionName}`,
          String(b.memorySize),
          b.kib.toFixed(1),
          b.totalKib.toFixed(1),
          ms(b.init.medianMs),
          b.ratioToEmpty.toFixed(1),
          `${b.ratioToHealth.toFixed(2)}×`,
          ms(b.init.medianCpuMs),
          ms(b.init.medianRssMiB),
          `${b.targetMs} ${b.init.medianMs <= b.targetMs ? 'met' : 'MISSED'}`,
          b.init.runsMs.map(ms).join(', '),
        ]),
        [
          `${results.bundles.length} functions`,
          '',
          '',
          results.bundles.reduce((sum, b) => sum + b.totalKib, 0).toFixed(1),
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ],
      ],
      new Set([1, 2, 3, 4, 5, 6, 7, 8]),
    ),
    '',
    '### Largest inputs per bundle',
    '',
    "Output KiB per package of what a cold start loads, from esbuild's metafile (`index.meta.json`, not loaded at run time), top 10.",
    '',
    markdownTable(
      ['Function', 'Largest inputs (KiB)'],
      results.bundles.map((b) => [
        b.functionName,
        b.topInputs.map((i) => `${i.name} ${(i.bytes / 1024).toFixed(1)}`).join(', '),
      ]),
    ),
    '',
    '## First request',
    '',
    `A fresh process imports the bundle and handles one request against DynamoDB Local with its deployed ` +
      `adapters (Secrets Manager and EventBridge through fakes on 127.0.0.1, tracer on). Verify's codes come from the console ` +
      `gateway; the send route sends through a custom HTTP gateway to a provider stand-in on 127.0.0.1, so its ` +
      `first request includes loading undici (imported on the first send) and the provider call. Median of ${first.runs} runs each; ${first.secretReads} pepper reads, ` +
      `${first.eventsPublished} events published, ${first.traceDatagrams} X-Ray segment datagrams received. ` +
      `× health init: init + first invocation over \`health\`'s init median in the same run.`,
    '',
    markdownTable(
      [
        'Function',
        'Route',
        'Init ms',
        'First invocation ms',
        'Init + first ms',
        '× health init',
        'Max RSS MiB',
        'Runs (total ms)',
      ],
      first.functions.map((f) => [
        f.functionName,
        `\`${f.route}\``,
        ms(f.medianInitMs),
        ms(f.medianInvokeMs),
        ms(f.medianTotalMs),
        `${(f.medianTotalMs / (health?.init.medianMs ?? Number.NaN)).toFixed(2)}×`,
        ms(f.maxRssMiB),
        f.runs.map((r) => ms(r.totalMs)).join(', '),
      ]),
      new Set([2, 3, 4, 5, 6]),
    ),
    '',
  ].join('\n');
}

/** The hot-store figures as a Markdown section (empty when the run has none). */
export function renderHotStore(hot: HotStoreResult | undefined): string[] {
  if (!hot) return [];
  const row = (label: string, run: HotStoreResult['before']) => [
    label,
    run.sendsPerSecond.toFixed(1),
    String(run.succeeded),
    counts(run.refused),
    String(run.transactionConflicts),
  ];
  return [
    '## One store under load (transaction conflicts enforced)',
    '',
    `${hot.sends} sends for one identity store, ${hot.inFlight} in flight, against DynamoDB Local behind a client that enforces DynamoDB's transaction-conflict rule.`,
    '',
    markdownTable(
      ['design', 'sends/s', 'succeeded', 'refused', 'transaction conflicts'],
      [
        row('before: store-day counter in every transaction', hot.before),
        row('after: sharded, outside the transaction', hot.after),
      ],
      new Set([1, 2, 4]),
    ),
    '',
  ];
}

/** The pumping simulation as a Markdown section (empty when the run has none). */
export function renderPumping(pumping: PumpingResult | undefined): string[] {
  if (!pumping) return [];
  return [
    '## SMS pumping (fraud guard)',
    '',
    `${pumping.pumpedSends} sends over ${pumping.rangeNumbers} numbers of one range, interleaved with ` +
      `${pumping.legitSignIns} sign-ins elsewhere that verify (DynamoDB Local, \`maxUnverifiedPerPrefixPerHour\` ` +
      `${pumping.configuredMax}).`,
    '',
    markdownTable(
      ['figure', 'value'],
      [
        ['messages the range got', `${pumping.rangeMessages} (at most ${pumping.configuredMax})`],
        ['legitimate sign-ins approved', `${pumping.legitSucceeded} of ${pumping.legitSignIns}`],
        ['pumped sends refused', counts(pumping.refused)],
        ['provider calls for refused sends', String(pumping.providerCallsForRefused)],
        [
          'added latency of the guard (median issue)',
          `${ms(pumping.addedLatencyMs)} ms (${ms(pumping.guardOnMedianMs)} on, ${ms(pumping.guardOffMedianMs)} off)`,
        ],
      ],
      new Set<number>(),
    ),
    '',
  ];
}

const roundsText = (rounds: string[][]) =>
  rounds.map((round) => round.map((c) => c.replace(/Command$/, '')).join(' ∥ ')).join('; ') || 'none';

/** The accounting table: what one request causes, split at its answer. */
export function renderAccounting(accounting: Accounting[] | undefined, runs: number): string[] {
  if (!accounting?.length) return [];
  return [
    '## Round trips per request (counted honestly)',
    '',
    `${runs} issues and verifies one at a time, each handler run in a scope of its own and every DynamoDB ` +
      `request of the services counted by one client, split where the answer is given. Verify with the ` +
      `deployed un-count: the \`challenge.approved\` consumer's work runs after the answer (local mode's ` +
      `default does it before, one round more). Local mode's webhook lookups (one Query per event, never ` +
      `waited for; deployed, the delivery function's) are counted apart.`,
    '',
    markdownTable(
      [
        'Operation',
        'Before the provider call',
        'Before the answer',
        'Rounds before the answer',
        'Requests after the answer',
        'Total requests',
        'Webhook lookups',
      ],
      accounting.map((a) => [
        a.name,
        a.name === 'issue' ? String(a.beforeProvider.length) : '',
        roundsText(a.beforeAnswer),
        String(a.beforeAnswer.length),
        `${perRequest(a.afterAnswerPerRequest)}${a.afterAnswerPerRequest ? ` (${counts(a.afterAnswer)} in ${a.runs})` : ''}`,
        perRequest(a.totalPerRequest),
        perRequest(a.lookupsPerRequest),
      ]),
      new Set([1, 3, 5, 6]),
    ),
    '',
  ];
}
