import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Run in a fresh `node`: times `await import(url)` alone (Node's own start-up excluded), with the CPU
 * time it took and the resident memory right after, checks the handler export, then exits (a module
 * that left a handle open would otherwise keep the process up).
 */
const IMPORT_TIMER = `
const [url, exportName] = process.argv.slice(1);
const cpu = process.cpuUsage();
const started = performance.now();
const module = await import(url);
const importMs = performance.now() - started;
const used = process.cpuUsage(cpu);
if (exportName && typeof module[exportName] !== 'function') throw new Error('no export ' + exportName);
const rssMiB = process.memoryUsage().rss / 1048576;
process.stdout.write(JSON.stringify({ importMs, cpuMs: (used.user + used.system) / 1000, rssMiB }));
process.exit(0);
`;

export interface ImportTarget {
  file: string;
  exportName?: string;
  /** The whole environment of the new process (nothing is inherited but PATH). */
  environment: Record<string, string>;
}

export interface ImportSample {
  importMs: number;
  cpuMs: number;
  rssMiB: number;
}

/** One cold import of `target` in a new process with only the given environment and no tsx loader. */
export async function importSample(target: ImportTarget): Promise<ImportSample> {
  const env = { PATH: process.env.PATH ?? '', ...target.environment };
  const args = ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(target.file).href];
  if (target.exportName) args.push(target.exportName);
  const { stdout } = await run(process.execPath, args, { env, timeout: 60_000 });
  return JSON.parse(stdout) as ImportSample;
}

/**
 * `runs` cold imports of each target, `parallelism` processes at a time; the targets' runs are
 * interleaved (round after round over all targets) so that a burst of machine noise does not land on
 * one function only, and the empty module measured in the same rounds shows the machine's state.
 */
export async function measureImports(
  targets: readonly ImportTarget[],
  runs: number,
  parallelism: number,
): Promise<ImportSample[][]> {
  const samples = targets.map(() => [] as ImportSample[]);
  const jobs = Array.from({ length: runs }, () => targets.map((_, index) => index)).flat();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = jobs[next++]!;
      samples[index]!.push(await importSample(targets[index]!));
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return samples;
}
