import { join } from 'node:path';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { TEST_CREDENTIALS, type FakeAdminApi } from './fake-admin-api.ts';
import { spawnGroup, stopGroup } from './process-group.ts';

export interface ConsoleProxyProcess {
  url: string;
  token: string;
  signInUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** `npm run console -- --url <fake API>` as its own process, with the AWS test credentials in its environment. */
export async function startConsoleProxyProcess(api: FakeAdminApi): Promise<ConsoleProxyProcess> {
  const child = spawnGroup(
    join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
    ['cli/console.ts', '--url', api.url, '--region', api.region],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...TEST_CREDENTIALS, AWS_PROFILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  const printed = () => /open: (http:\/\/127\.0\.0\.1:\d+)\/console\/#token=(\S+)/.exec(output);
  while (!printed()) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopGroup(child, 'SIGKILL');
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
    stop: async () => void (await stopGroup(child)),
  };
}
