import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { decodeHTML, encodeHTML } from 'entities';
import { clientFor, mobileNumber } from '../support/client.ts';
import { captureLogs } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Reasons are clean": whatever a provider echoes back, the 502 detail and the log lines carry no
 * credential, no code, no message text and no full phone number. The fake echoes the whole request (body
 * and Authorization header, raw and inside the fields each adapter reads its error text from).
 */
const PASSWORD = 'Echo-Secret&9f8e7d6c5b4a';
const USERNAME = 'echo-user-4417';
const ACCOUNT = 'AC7a6b5c4d3e2f';
let server: TestServer;
let echo: Server;
let echoUrl: string;
let status = 400;
/** How the fake spells what it echoes (api.md "Wave 3: exact rules", echo forms); `raw` echoes as sent. */
let form: keyof typeof FORMS = 'raw';
/** The code of the last message the fake received. */
let lastCode = '';
let output: string[] = [];
let stopCapture = () => {};

beforeAll(async () => {
  server = await startTestServer();
  echo = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const sent = `${Buffer.concat(chunks).toString()} ${request.headers.authorization ?? ''} ${request.url}`;
      lastCode = /(\d{4,10})(?:\+|%20|\s)is(?:\+|%20|\s)your/.exec(sent)?.[1] ?? '';
      const text = FORMS[form](sent, lastCode);
      const body = {
        message: text,
        error: text,
        error_message: text,
        errorText: text,
        description: text,
        detail: text,
        code: text,
        status: text,
        messages: [{ status: '2', 'error-text': text }],
        requestError: { serviceException: { messageId: text, text } },
        errors: [{ code: text, description: text, text }],
      };
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const address = echo.address();
  echoUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  ({ output, stop: stopCapture } = captureLogs());
});
afterAll(async () => {
  stopCapture();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  await server.stop();
});

const percentEncoded = (value: string) =>
  [...Buffer.from(value)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const spread = (code: string, between: string) => code.split('').join(between);

/** Each form adds the credential and the code, spelled its way, to the echoed request. */
const FORMS = {
  raw: (sent: string) => sent,
  'code with commas': (sent: string, code: string) => `${sent} code ${code.slice(0, 3)},${code.slice(3)}`,
  'code with dashes': (sent: string, code: string) => `${sent} code ${spread(code, '-')}`,
  'code with spaces': (sent: string, code: string) => `${sent} code ${spread(code, ' ')}`,
  'code with ", "': (sent: string, code: string) => `${sent} code ${spread(code, ', ')}`,
  'credential upper-cased': (sent: string) => `${sent} key ${PASSWORD.toUpperCase()}`,
  'credential lower-cased': (sent: string) => `${sent} key ${PASSWORD.toLowerCase()}`,
  'credential \\u-escaped': (sent: string) =>
    `${sent} key ${[...PASSWORD].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}`,
  'credential percent-encoded': (sent: string) => `${sent} key ${percentEncoded(PASSWORD)}`,
  'credential HTML-escaped': (sent: string) => `${sent} key ${encodeHTML(PASSWORD)}`,
  'credential HTML decimal references': (sent: string) =>
    `${sent} key ${[...PASSWORD].map((c) => `&#${c.charCodeAt(0)};`).join('')}`,
  'credential HTML hex references': (sent: string) =>
    `${sent} key ${[...PASSWORD].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}`,
};

/** How a reader sees the output: escapes, percent-encoding and HTML references undone, case folded. */
function asRead(text: string): string {
  const unescaped = text.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  const unpercented = unescaped.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  return decodeHTML(unpercented).toLowerCase();
}

const TYPES: Record<string, Record<string, unknown>> = {
  twilio: { accountId: ACCOUNT, from: '+15005550006', url: '/2010-04-01/Accounts/{accountId}/Messages.json' },
  vonage: { username: USERNAME, from: 'Acme', url: '/sms/json' },
  plivo: { accountId: ACCOUNT, from: '+15005550006', url: '/v1/Account/{accountId}/Message/' },
  sinch: { accountId: ACCOUNT, from: '+15005550006', url: '/xms/v1/{accountId}/batches' },
  infobip: { from: 'Acme', url: '/sms/2/text/advanced' },
  messagebird: { from: 'Acme', url: '/messages' },
  'custom-http': { username: USERNAME, authScheme: 'basic', url: '/send' },
};

/** The number of the last send. */
let phone = '';

async function failedSend(type: string) {
  const { url, ...fields } = TYPES[type]!;
  const created = await server.admin('POST', '/admin/gateways', {
    name: `${type} echo ${Math.random()
      .toString(36)
      .replace(/[^a-z]/g, '')}`,
    type,
    password: PASSWORD,
    url: `${echoUrl}${url as string}`,
    ...fields,
  });
  expect(created.status, created.text).toBe(201);
  const client = await clientFor(server, {
    smsAuth: { gatewayId: created.body.id, messageTemplate: 'Acme sign-in: [Code] is your code' },
  });
  phone = mobileNumber();
  const logStart = output.length;
  const failed = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
  expectProblem(failed, 502, 'gateway-error');
  return { failed, seen: [failed.text, ...output.slice(logStart)].join('\n') };
}

describe.each(['twilio', 'vonage', 'custom-http'])(
  '%s against a provider that echoes in other forms',
  (type) => {
    it.each(Object.keys(FORMS).filter((name) => name !== 'raw') as (keyof typeof FORMS)[])(
      '%s: neither the code nor the credential reaches the 502 or a log line',
      async (name) => {
        status = 400;
        form = name;
        try {
          const { seen } = await failedSend(type);
          expect(lastCode).toMatch(/^\d{6}$/);
          const read = asRead(seen);
          expect(read).not.toContain(PASSWORD.toLowerCase());
          expect(read).not.toMatch(new RegExp(lastCode.split('').join('[^a-z0-9]{0,3}')));
        } finally {
          form = 'raw';
        }
      },
    );
  },
);

describe.each(Object.keys(TYPES))('%s against a provider that echoes the request', (type) => {
  it.each([400, 500])('answering %i: the 502 and every log line are clean', async (answer) => {
    status = answer;
    const { failed, seen } = await failedSend(type);
    const digits = phone.slice(1);
    for (const secret of [
      PASSWORD,
      Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'),
      'Acme sign-in',
      digits,
      digits.slice(2),
    ]) {
      expect(seen).not.toContain(secret);
    }
    // No code-like digit run at all (the code is 6 digits).
    expect(failed.body.detail).not.toMatch(/\d{6}/);
    expect(seen).not.toMatch(/is your code/);
  });
});
