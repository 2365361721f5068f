import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { TEST_CREDENTIALS, type FakeAdminApi } from './fake-admin-api.ts';

export interface ConsoleProxyProcess {
  url: string;
  token: string;
  signInUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** `npm run console -- --url <fake API>` as its own process, with the AWS test credentials in its environment. */
export async function startConsoleProxyProcess(api: FakeAdminApi): Promise<ConsoleProxyProcess> {
  const child = spawn(
    join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
    ['cli/console.ts', '--url', api.url, '--region', api.region],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...TEST_CREDENTIALS, AWS_PROFILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  const printed = () => /open: (http:\/\/127\.0\.0\.1:\d+)\/console\/#token=(\S+)/.exec(output);
  while (!printed()) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm run console did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [, url, token] = printed() as unknown as [string, string, string];
  return {
    url,
    token,
    signInUrl: `${url}/console/#token=${token}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
