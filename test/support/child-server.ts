import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../local/dynamodb-local.ts';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { spawnGroup, stopGroup } from './process-group.ts';

export interface ChildServer {
  url: string;
  dynamoDbEndpoint: string;
  process: ChildProcess;
  /** Everything the process printed, stdout and stderr. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the real `npm start` entry point (local/start.ts) as its own process, as a developer would. */
export async function startChildServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<ChildServer> {
  const port = await freePort();
  const dynamoPort = await freePort();
  const child = spawnGroup(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['local/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stopGroup(child, 'SIGKILL');
      throw new Error(`local server exited early:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopGroup(child, 'SIGKILL');
      throw new Error(`local server did not answer /health within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dynamoDbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    process: child,
    output: () => output,
    // The whole group: tsx, the server under it and its DynamoDB Local.
    stop: (signal = 'SIGTERM') => stopGroup(child, signal),
  };
}
