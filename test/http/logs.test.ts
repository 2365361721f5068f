import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/local-stack.ts';
import { startChildServer, type ChildServer } from '../support/child-server.ts';

/**
 * The real `npm start` process, driven through a whole flow, and everything it prints read the way an
 * operator (or a log shipper) would: each line is a Powertools JSON log line or one of the few lines
 * local mode prints by design, and the log lines carry no code, key, password or full phone number.
 */

interface OutboxMessage {
  at: string;
  gatewayId: string;
  to: string;
  body: string;
}

/** The few response fields the flow reads. */
interface Body {
  id?: string;
  key?: string;
  items?: { id: string; type: string }[];
  challenge?: { id: string };
}

interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** The phone used for enrollment and sign-in, and the one verified without a user. */
const USER_PHONE = '+447400123456';
const SIGNUP_PHONE = '+447400654321';
/** UK premium rate (09…): refused with phone-not-allowed before anything is sent. */
const PREMIUM_PHONE = '+449090901234';

/** Set by vitest.config.ts for the test process; an operator's shell has none of them. */
const VITEST_ONLY_ENV = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'POWERTOOLS_TRACE_ENABLED',
  'POWERTOOLS_METRICS_DISABLED',
  'POWERTOOLS_LOG_LEVEL',
  'NODE_ENV',
  'TEST',
  'VITEST',
  'VITEST_MODE',
  'VITEST_POOL_ID',
  'VITEST_WORKER_ID',
];

/** Starts the server with the environment of a developer's shell, not the test runner's. */
async function startAsOperator(env: Record<string, string>): Promise<ChildServer> {
  const saved = Object.fromEntries(VITEST_ONLY_ENV.map((name) => [name, process.env[name]]));
  for (const name of VITEST_ONLY_ENV) delete process.env[name];
  try {
    return await startChildServer(env);
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}

/**
 * The AWS SDK's Node 20 notice (local/start.ts turns it off by default, so it should not appear; it is
 * still harmless), as Node prints a process warning: one block of known lines.
 */
const NODE_VERSION_WARNING =
  /^\(node:\d+\) Warning: NodeVersionSupportWarning: The AWS SDK for JavaScript \(v3\)\nversions published after the first week of January \d{4}\nwill require node >=\d+\. You are running node v[\d.]+\.\n\nTo continue receiving updates to AWS services, bug fixes,\nand security updates please upgrade to node >=\d+\.\n\nMore information can be found at: https:\/\/a\.co\/\w+\n(?:\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n)?/gm;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const standalone = (digits: string) => new RegExp(`(?<![0-9])${escape(digits)}(?![0-9])`);

describe('what the local server prints during a full flow', { timeout: 90_000 }, () => {
  let dataDir: string;
  let server: ChildServer;
  let adminToken: string;
  let output: string;
  const secrets: Record<string, string> = {};
  const statuses: Record<string, number> = {};
  let outbox: OutboxMessage[] = [];

  const request = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        'content-type': 'application/json',
      },
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
  };
  const readOutbox = async () =>
    (await readFile(join(dataDir, 'outbox.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxMessage);
  const lastCodeTo = async (phone: string) => {
    const code = /\b(\d{4,10})\b/.exec(
      (await readOutbox()).filter((m) => m.to === phone).at(-1)?.body ?? '',
    )?.[1];
    if (!code) throw new Error(`no code was sent to ${phone}`);
    return code;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-logs-'));
    server = await startAsOperator({ DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    try {
      adminToken = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
      const admin = (method: string, path: string, body?: unknown) =>
        request(path, { method, token: adminToken, body });
      const expectStatus = async (label: string, pending: ReturnType<typeof request>, status: number) => {
        const response = await pending;
        statuses[label] = response.status;
        expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(status);
        return response.body;
      };

      // A gateway with credentials (never sent to: the store uses the console gateway).
      secrets.gatewayPassword = `gw-pass-${randomUUID()}`;
      secrets.proxyPassword = `proxy-pass-${randomUUID()}`;
      secrets.newGatewayPassword = `gw-pass-${randomUUID()}`;
      const gateway = await expectStatus(
        'create gateway',
        admin('POST', '/admin/gateways', {
          name: 'Credentialed',
          type: 'custom-http',
          url: 'https://gateway.example.com/send',
          username: 'api-user',
          password: secrets.gatewayPassword,
          proxy: {
            host: 'proxy.example.com',
            port: 3128,
            username: 'proxy-user',
            password: secrets.proxyPassword,
          },
        }),
        201,
      );
      await expectStatus(
        'change gateway password',
        admin('PATCH', `/admin/gateways/${gateway.id}`, { password: secrets.newGatewayPassword }),
        200,
      );

      const gateways = await expectStatus('list gateways', admin('GET', '/admin/gateways'), 200);
      const consoleGateway = gateways.items?.find((g) => g.type === 'console');
      const store = await expectStatus(
        'create store',
        admin('POST', '/admin/identity-stores', {
          name: 'Log check',
          smsAuth: { enabled: true, gatewayId: consoleGateway?.id },
          codePolicy: { resendIntervalSeconds: 0 },
        }),
        201,
      );
      const key = await expectStatus(
        'create api key',
        admin('POST', `/admin/identity-stores/${store.id}/api-keys`, { name: 'log check app' }),
        201,
      );
      secrets.apiKey = key.key ?? '';
      secrets.apiKeySecret = secrets.apiKey.split('.')[1] ?? '';
      expect(secrets.apiKeySecret).toHaveLength(43);
      const client = (method: string, path: string, body?: unknown) =>
        request(path, { method, token: secrets.apiKey, body });

      // Enrollment, with the number in digits-only form.
      const enrolled = await expectStatus(
        'enroll',
        client('PUT', '/v1/users/alice/sms-factor', { phoneNumber: USER_PHONE.slice(1) }),
        202,
      );
      const enrollCode = await lastCodeTo(USER_PHONE);
      const wrongCode = enrollCode.replace(/.$/, (d) => String((Number(d) + 1) % 10));
      secrets.wrongCode = wrongCode;
      await expectStatus(
        'wrong code',
        client('POST', `/v1/challenges/${enrolled.challenge?.id}/verify`, { code: wrongCode }),
        422,
      );
      await expectStatus(
        'verify enrollment',
        client('POST', `/v1/challenges/${enrolled.challenge?.id}/verify`, { code: enrollCode }),
        200,
      );

      // Sign-in: an authenticate challenge and its code.
      await expectStatus('mfa status', client('GET', '/v1/users/alice/mfa'), 200);
      const challenge = await expectStatus(
        'authenticate',
        client('POST', '/v1/users/alice/sms-factor/challenges'),
        201,
      );
      await expectStatus(
        'verify authenticate',
        client('POST', `/v1/challenges/${challenge.id}/verify`, { code: await lastCodeTo(USER_PHONE) }),
        200,
      );

      // Sign-up: a phone number verified without a user.
      const signup = await expectStatus(
        'verify phone',
        client('POST', '/v1/verifications', { phoneNumber: SIGNUP_PHONE }),
        201,
      );
      await expectStatus(
        'verify phone code',
        client('POST', `/v1/challenges/${signup.id}/verify`, { code: await lastCodeTo(SIGNUP_PHONE) }),
        200,
      );

      // Refusals: a premium-rate number, a wrong key, bodies that fail validation.
      await expectStatus(
        'premium-rate number',
        client('POST', '/v1/verifications', { phoneNumber: PREMIUM_PHONE }),
        422,
      );
      secrets.wrongApiKey = `${secrets.apiKey.split('.')[0]}.${'x'.repeat(43)}`;
      await expectStatus('bad api key', request('/v1/users/alice/mfa', { token: secrets.wrongApiKey }), 401);
      await expectStatus(
        'unknown field',
        client('POST', '/v1/verifications', { phoneNumber: USER_PHONE, extra: secrets.gatewayPassword }),
        400,
      );
      await expectStatus(
        'not json',
        client('POST', '/v1/verifications', `{"phoneNumber": "${USER_PHONE}"`),
        400,
      );
      await expectStatus(
        'gateway with a bad type',
        admin('POST', '/admin/gateways', { name: 'Bad', type: 'nope', password: secrets.gatewayPassword }),
        400,
      );
    } finally {
      await server.stop('SIGTERM');
    }
    output = server.output();
    outbox = await readOutbox();
  });

  afterAll(async () => {
    if (server) await server.stop('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Every line printed, each either a log line or one of the lines local mode prints by design. */
  function classify() {
    const logs: LogLine[] = [];
    const logText: string[] = [];
    const outboxLines: OutboxMessage[] = [];
    const unexpected: string[] = [];
    const banner = [
      new RegExp(`^sms-mfa local server listening on ${escape(server.url)}$`),
      new RegExp(`^  admin token: ${escape(adminToken)}$`),
      new RegExp(`^  console: +${escape(server.url)}/console/#token=${escape(adminToken)}$`),
      new RegExp(`^  data: +${escape(dataDir)}$`),
      new RegExp(`^  outbox: +${escape(join(dataDir, 'outbox.jsonl'))}$`),
      new RegExp(`^  dynamodb: +http://127\\.0\\.0\\.1:\\d+ \\(table ${escape(LOCAL_TABLE_NAME)}\\)$`),
      new RegExp(
        `^  try: +curl -H "Authorization: Bearer ${escape(adminToken)}" ${escape(server.url)}/admin/gateways$`,
      ),
    ];
    const lines = output.replace(NODE_VERSION_WARNING, '').split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const line of lines) {
      if (line.startsWith('{')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          unexpected.push(line);
          continue;
        }
        const entry = parsed as Partial<LogLine>;
        if (typeof entry.level === 'string' && typeof entry.message === 'string') {
          logs.push(entry as LogLine);
          logText.push(line);
        } else unexpected.push(line);
      } else if (line.startsWith('[outbox] ')) {
        outboxLines.push(JSON.parse(line.slice('[outbox] '.length)) as OutboxMessage);
      } else if (banner.some((pattern) => pattern.test(line))) {
        // the start banner
      } else if (line === '' || line === 'SIGTERM: stopping') {
        // the shutdown notice, after a blank line
      } else unexpected.push(line);
    }
    return { logs, logText, outboxLines, unexpected };
  }

  it('ran the whole flow', () => {
    expect(Object.keys(statuses).at(-1)).toBe('gateway with a bad type');
    // Enrollment, authenticate, verify-phone: three codes, nothing for the premium-rate number.
    expect(outbox.map((m) => m.to)).toEqual([USER_PHONE, USER_PHONE, SIGNUP_PHONE]);
  });

  it('prints only JSON log lines, the banner, the outbox lines and the shutdown notice', () => {
    const { logs, outboxLines, unexpected } = classify();
    expect(unexpected, `lines that are neither logs nor known local-mode output:\n${output}`).toEqual([]);
    // The console gateway prints each message it appends to the outbox, and nothing else.
    expect(outboxLines).toEqual(outbox);
    expect(logs.length).toBeGreaterThanOrEqual(7);
    // Not vacuous: each refusal was logged, by the function that refused it, with its slug.
    const refused = logs
      .filter((l) => l.message === 'request refused')
      .map((l) => `${String(l.function_name)} ${String(l.slug)}`);
    expect(refused).toEqual([
      'sms-mfa-local-challenges-verify invalid-code',
      'sms-mfa-local-verifications-create phone-not-allowed',
      'sms-mfa-local-users-mfa unauthorized',
      'sms-mfa-local-verifications-create validation-failed',
      'sms-mfa-local-verifications-create validation-failed',
      'sms-mfa-local-gateways-create validation-failed',
    ]);
    expect(logs.filter((l) => l.message === 'api key refused')).toHaveLength(1);
    for (const log of logs) expect(log).toMatchObject({ service: 'sms-mfa', timestamp: expect.any(String) });
  });

  it('logs no code, key, token or password', () => {
    const { logText } = classify();
    const text = logText.join('\n');
    const codes = outbox.map((m) => /\b(\d{4,10})\b/.exec(m.body)?.[1] ?? '');
    expect(codes.every((c) => c.length === 6)).toBe(true);
    for (const code of [...codes, secrets.wrongCode!]) {
      expect(text, `code ${code}`).not.toMatch(standalone(code));
    }
    for (const [name, value] of Object.entries({ ...secrets, adminToken })) {
      expect(value.length, name).toBeGreaterThan(5);
      if (name !== 'wrongCode') expect(text, name).not.toContain(value);
    }
  });

  it('logs phone numbers masked, never in full', () => {
    const { logText } = classify();
    const text = logText.join('\n');
    for (const phone of [USER_PHONE, SIGNUP_PHONE, PREMIUM_PHONE]) {
      const digits = phone.slice(1);
      const national = digits.slice(2);
      expect(text, phone).not.toMatch(standalone(digits));
      expect(text, phone).not.toMatch(standalone(`0${national}`));
      expect(text, phone).not.toMatch(standalone(national));
    }
    // Anything that looks like a number after a `+` is a masked one: the country code, stars, 2-4 digits.
    for (const candidate of text.match(/\+\d[\d*]{5,}/g) ?? []) {
      expect(candidate).toMatch(/^\+\d{1,3}\*{4,}\d{2,4}$/);
    }
  });
});
