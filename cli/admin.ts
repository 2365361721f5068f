/** Entry point: `npm run admin -- <command> [options]` (see `--help`). */
import { run } from './main.ts';

/** Ctrl-C ends a following command (`events tail`) cleanly; it still stops any other command at once. */
function interruption(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}

process.exitCode = await run(
  process.argv.slice(2),
  process.env,
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
  interruption,
);
