import { logger } from '../../shared/observability/powertools.ts';

/**
 * Everything the process writes while capturing, at DEBUG level. The logger writes its own Console to
 * stdout (info, debug) and stderr (warn, error): both are captured, and still written through.
 */
export function captureLogs(): { output: string[]; stop: () => void } {
  const output: string[] = [];
  const original = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  logger.setLogLevel('DEBUG');
  // Powertools puts the level back to the environment's (WARN in tests) at every warm invocation.
  const refresh = logger.refreshSampleRateCalculation.bind(logger);
  logger.refreshSampleRateCalculation = () => logger.setLogLevel('DEBUG');
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (original[stream] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  const stop = () => {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
    logger.refreshSampleRateCalculation = refresh;
    logger.setLogLevel('WARN');
  };
  return { output, stop };
}
