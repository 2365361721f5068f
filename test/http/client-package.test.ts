import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

const run = promisify(execFile);
const npm = (args: string[], cwd: string) =>
  run('npm', args, { cwd, env: { ...process.env, npm_config_loglevel: 'error' } });

/** A team's program, written against the packed package only: it enrolls, or verifies a code. */
const PROGRAM = `
import { createSmsMfaClient, type paths } from '@sms-mfa/client';

type VerifyBody = paths['/v1/challenges/{challengeId}/verify']['post']['requestBody'];
const [step, baseUrl, apiKey, first, second] = process.argv.slice(2) as [string, string, string, string, string];
const client = createSmsMfaClient({ baseUrl, apiKey });

if (step === 'enroll') {
  const { data, error } = await client.PUT('/v1/users/{userId}/sms-factor', {
    params: { path: { userId: first }, header: { 'idempotency-key': 'enroll-' + first } },
    body: { phoneNumber: second },
  });
  if (error) throw new Error(error.type + ': ' + error.title);
  console.log(JSON.stringify({ challengeId: data.challenge.id, status: data.status }));
} else {
  const body: NonNullable<VerifyBody>['content']['application/json'] = { code: second };
  const { data, error, response } = await client.POST('/v1/challenges/{challengeId}/verify', {
    params: { path: { challengeId: first } },
    body,
  });
  console.log(JSON.stringify(error ? { status: response.status, problem: error.type } : data));
}
`;

/** The same call with a misspelt body field: the package's types must refuse it. */
const WRONG_FIELD = `
import { createSmsMfaClient } from '@sms-mfa/client';
const client = createSmsMfaClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'k' });
await client.PUT('/v1/users/{userId}/sms-factor', {
  params: { path: { userId: 'u1' } },
  body: { phoneNumbr: '+447400123456' },
});
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    types: ['node'],
    outDir: 'dist',
  },
};

let server: TestServer;
let project: string;
beforeAll(async () => {
  server = await startTestServer();
  const packs = await mkdtemp(join(tmpdir(), 'sms-mfa-pack-'));
  // `prepack` builds it: a pack is never of a stale or missing dist/.
  await npm(['pack', '-w', 'client', '--pack-destination', packs], PROJECT_ROOT);
  const [tarball] = (await readdir(packs)).filter((name) => name.endsWith('.tgz'));
  project = await mkdtemp(join(tmpdir(), 'sms-mfa-team-'));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'team-app', private: true, type: 'module' }),
  );
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  const root = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  // The versions the project already uses, so that the install is served from npm's cache.
  await npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(packs, tarball!),
      `typescript@${root.devDependencies.typescript}`,
      `@types/node@${root.devDependencies['@types/node']}`,
    ],
    project,
  );
}, 240_000);
afterAll(() => server?.stop());

describe('@sms-mfa/client as a team installs it', () => {
  it('type-checks a strict program, and refuses a wrong body field', async () => {
    await writeFile(join(project, 'main.ts'), PROGRAM);
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { cwd: project });

    await writeFile(join(project, 'wrong.ts'), WRONG_FIELD);
    const failed = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], {
      cwd: project,
    }).then(
      () => undefined,
      (error: { stdout: string }) => error.stdout,
    );
    expect(failed).toMatch(/wrong\.ts.*phoneNumbr/s);
    expect(failed).not.toMatch(/main\.ts/);
  }, 180_000);

  it('enrolls and verifies against the local server, compiled to JavaScript', async () => {
    const { key } = await clientFor(server);
    const phone = mobileNumber();
    const program = (...args: string[]) =>
      run(process.execPath, ['dist/main.js', ...args], { cwd: project }).then(({ stdout }) =>
        JSON.parse(stdout),
      );

    const enrolled = await program('enroll', server.url, key, 'team-user-1', phone);
    expect(enrolled.status).toBe('pending');
    // The idempotency key is sent: the same request again replays the same challenge.
    expect(await program('enroll', server.url, key, 'team-user-1', phone)).toEqual(enrolled);

    const code = await lastCode(server, phone);
    const otherCode = code.replace(/^./, (digit) => String((Number(digit) + 1) % 10));
    const wrong = await program('verify', server.url, key, enrolled.challengeId, otherCode);
    expect(wrong.status).toBe(422);
    expect(wrong.problem).toMatch(/\/invalid-code$/);
    const approved = await program('verify', server.url, key, enrolled.challengeId, code);
    expect(approved.status).toBe('approved');
  }, 180_000);
});
