import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { clientFor, mobileNumber } from '../support/client.ts';
import { captureLogs } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Reasons are clean": whatever a provider echoes back, the 502 detail and the log lines carry no
 * credential, no code, no message text and no full phone number. The fake echoes the whole request (body
 * and Authorization header, raw and inside the fields each adapter reads its error text from).
 */
const PASSWORD = 'Echo-Secret-9f8e7d6c5b4a';
const USERNAME = 'echo-user-4417';
const ACCOUNT = 'AC7a6b5c4d3e2f';
let server: TestServer;
let echo: Server;
let echoUrl: string;
let status = 400;
let output: string[] = [];
let stopCapture = () => {};

beforeAll(async () => {
  server = await startTestServer();
  echo = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = `${Buffer.concat(chunks).toString()} ${request.headers.authorization ?? ''} ${request.url}`;
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

const TYPES: Record<string, Record<string, unknown>> = {
  twilio: { accountId: ACCOUNT, from: '+15005550006', url: '/2010-04-01/Accounts/{accountId}/Messages.json' },
  vonage: { username: USERNAME, from: 'Acme', url: '/sms/json' },
  plivo: { accountId: ACCOUNT, from: '+15005550006', url: '/v1/Account/{accountId}/Message/' },
  sinch: { accountId: ACCOUNT, from: '+15005550006', url: '/xms/v1/{accountId}/batches' },
  infobip: { from: 'Acme', url: '/sms/2/text/advanced' },
  messagebird: { from: 'Acme', url: '/messages' },
  'custom-http': { username: USERNAME, authScheme: 'basic', url: '/send' },
};

describe.each(Object.keys(TYPES))('%s against a provider that echoes the request', (type) => {
  it.each([400, 500])('answering %i: the 502 and every log line are clean', async (answer) => {
    status = answer;
    const { url, ...fields } = TYPES[type]!;
    const created = await server.admin('POST', '/admin/gateways', {
      // Letters only: the gateway's name is part of the detail, and the test looks for digit runs.
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
    const phone = mobileNumber();
    const logStart = output.length;
    const failed = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expectProblem(failed, 502, 'gateway-error');
    const seen = [failed.text, ...output.slice(logStart)].join('\n');
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
