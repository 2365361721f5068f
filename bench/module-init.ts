import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Run in a fresh `node`: times `await import(url)` alone (Node's own start-up excluded) and checks the
 * handler export, then exits (a module that left a handle open would otherwise keep the process up).
 */
const IMPORT_TIMER = `
const [url, exportName] = process.argv.slice(1);
const started = performance.now();
const module = await import(url);
const importMs = performance.now() - started;
if (exportName && typeof module[exportName] !== 'function') throw new Error('no export ' + exportName);
process.stdout.write(JSON.stringify({ importMs }));
process.exit(0);
`;

export interface ImportTarget {
  file: string;
  exportName?: string;
  environment: Record<string, string>;
}

/**
 * One cold import of `target` in a new process with only the function's environment (no NODE_OPTIONS,
 * no tsx loader): the external `@aws-sdk/*` packages resolve from node_modules, as the Lambda runtime
 * provides them.
 */
export async function importMilliseconds(target: ImportTarget): Promise<number> {
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    // Lambda runs a newer Node than this machine; the SDK's upgrade notice is not part of a cold start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...target.environment,
  };
  const args = ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(target.file).href];
  if (target.exportName) args.push(target.exportName);
  const { stdout } = await run(process.execPath, args, { env, timeout: 60_000 });
  return (JSON.parse(stdout) as { importMs: number }).importMs;
}

/**
 * `runs` cold imports of each target, `parallelism` processes at a time; the targets' runs are
 * interleaved so that a burst of machine noise does not land on one function only.
 */
export async function measureImports(
  targets: readonly ImportTarget[],
  runs: number,
  parallelism: number,
): Promise<number[][]> {
  const timings = targets.map(() => [] as number[]);
  const jobs = Array.from({ length: runs }, () => targets.map((_, index) => index)).flat();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = jobs[next++]!;
      timings[index]!.push(await importMilliseconds(targets[index]!));
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return timings;
}
