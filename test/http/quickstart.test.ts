import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { startChildServer } from '../support/child-server.ts';

const run = promisify(execFile);
const SCRIPT = join(PROJECT_ROOT, 'local/quickstart.sh');

describe('the quick start of docs/getting-started.md (local/quickstart.sh)', { timeout: 180_000 }, () => {
  it('is shown in docs/getting-started.md line for line', async () => {
    const [page, script] = await Promise.all([
      readFile(join(PROJECT_ROOT, 'docs/getting-started.md'), 'utf8'),
      readFile(SCRIPT, 'utf8'),
    ]);
    expect(page).toContain('```sh\n' + script + '```\n');
  });

  it('runs as written against a fresh npm start, each request answering the status it notes', async () => {
    const script = await readFile(SCRIPT, 'utf8');
    const documented = [...script.matchAll(/# -> (\d{3})$/gm)].map((match) => Number(match[1]));
    expect(documented.length).toBeGreaterThan(20);

    const dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-quickstart-'));
    // curl reads $CURL_HOME/.curlrc: each request's status goes to stderr, the body stays on stdout.
    const curlHome = await mkdtemp(join(tmpdir(), 'sms-mfa-curl-'));
    await writeFile(join(curlHome, '.curlrc'), 'silent\nwrite-out = "%{stderr}HTTP %{http_code}\\n"\n');
    const server = await startChildServer({ DATA_DIR: dataDir });
    try {
      const port = new URL(server.url).port;
      const { stdout, stderr } = await run('bash', [SCRIPT], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATA_DIR: dataDir, PORT: port, CURL_HOME: curlHome, HOME: curlHome },
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${error.message}\n${error.stdout}\n${error.stderr}\n${server.output()}`);
      });
      const statuses = [...stderr.matchAll(/^HTTP (\d{3})$/gm)].map((match) => Number(match[1]));
      expect(statuses, `${stdout}\n${stderr}`).toEqual(documented);
      // The replayed challenge is the first one, marked as a replay.
      expect(stdout).toMatch(/idempotent-replayed: true/i);
    } finally {
      await server.stop();
    }
  });
});
