/**
 * Counts the call stops of the issue path: every function of `shared/` that runs from the entry of
 * `CodeIssuer.issue` to the moment the ledger write starts (V8 precise coverage with call counts), for a
 * new verify-phone challenge and for a resend of it. `npx tsx bench/issue-path-calls.ts`
 */
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { ChallengeService } from '../shared/domain/challenges/challenge-service.ts';
import { CodeIssuer } from '../shared/domain/challenges/issue-code.ts';
import { DEFAULT_CODE_POLICY } from '../shared/domain/identity-stores/identity-store.ts';
import { noTelemetry } from '../shared/ports/telemetry.ts';
import { fixedPepper } from '../test/support/fixed-pepper.ts';
import { ManualClock } from '../test/support/manual-clock.ts';
import { MemoryChallengePorts } from '../test/support/memory-challenge-ports.ts';
import { storeFixture } from '../test/support/store-fixture.ts';

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

const session = new Session();
session.connect();
const post = <T>(method: string, params?: object) => {
  let out: T | undefined;
  session.post(method, params ?? {}, (error, result) => {
    if (error) throw error;
    out = result as T;
  });
  return out as T;
};
post('Profiler.enable');
post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });

const root = fileURLToPath(new URL('..', import.meta.url));
let snapshot: Coverage | undefined;
let atProvider: Coverage | undefined;
const original = CodeIssuer.prototype.issue;
CodeIssuer.prototype.issue = function (this: CodeIssuer, ...args: Parameters<CodeIssuer['issue']>) {
  post('Profiler.takePreciseCoverage'); // resets the counters: counting starts here
  return original.apply(this, args);
};

const ports = new MemoryChallengePorts();
const ledgerStart = ports.ledger.start.bind(ports.ledger);
const ledgerResend = ports.ledger.resend.bind(ports.ledger);
ports.ledger.start = (input) => {
  snapshot ??= post<Coverage>('Profiler.takePreciseCoverage');
  return ledgerStart(input);
};
ports.ledger.resend = (input) => {
  snapshot ??= post<Coverage>('Profiler.takePreciseCoverage');
  return ledgerResend(input);
};
const clock = new ManualClock(Date.UTC(2026, 11, 1, 9));
const store = storeFixture({ codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 30 } });
let seq = 0;
const service = new ChallengeService({
  ...ports.serviceStorage(() => store),
  delivery: {
    send: async () => {
      // Counters were reset at the ledger write: this is the rest of the path up to the provider call.
      atProvider ??= post<Coverage>('Profiler.takePreciseCoverage');
      return { gatewayId: 'gw', gatewayType: 'console', providerMessageId: 'm' };
    },
  },
  notifier: { notify: async () => undefined },
  pepper: fixedPepper(Buffer.from('pepper')),
  clock,
  random: { bytes: (n) => Buffer.alloc(n, seq++ % 256), int: (max) => seq++ % max },
  telemetry: noTelemetry,
});

function stopsOf(coverage: Coverage): string[] {
  const stops: string[] = [];
  for (const script of coverage.result) {
    if (!script.url.startsWith('file://')) continue;
    const file = relative(root, fileURLToPath(script.url));
    if (!file.startsWith('shared/')) continue;
    for (const fn of script.functions) {
      const count = fn.ranges[0]?.count ?? 0;
      // The module's top level is no call stop.
      if (count === 0 || (fn.functionName === '' && fn.ranges.length > 0 && script.functions[0] === fn))
        continue;
      stops.push(`${file} ${fn.functionName || '(anonymous)'} x${count}`);
    }
  }
  return stops;
}

function report(label: string, ...coverages: Coverage[]) {
  const stops = coverages.flatMap(stopsOf);
  const calls = stops.reduce((sum, stop) => sum + Number(/x(\d+)$/.exec(stop)![1]), 0);
  const functions = new Set(stops.map((s) => s.replace(/ x\d+$/, '')));
  const files = new Set(stops.map((s) => s.split(' ')[0]));
  console.log(`${label}: ${functions.size} functions, ${calls} calls, ${files.size} files`);
  if (process.argv.includes('--list')) for (const stop of stops) console.log(`  ${stop}`);
}

// Warm up once (module loading and caches are not the path), then measure.
await service.verifyPhone(store.id, '+447400123400');
clock.advance(31_000);
for (const [label, phone] of [
  ['new challenge', '+447400123456'],
  ['resend', '+447400123456'],
] as const) {
  snapshot = undefined;
  atProvider = undefined;
  await service.verifyPhone(store.id, phone);
  report(`${label}, issue() to the ledger write`, snapshot!);
  report(`${label}, issue() to the provider call`, snapshot!, atProvider!);
  clock.advance(31_000);
}
session.disconnect();
