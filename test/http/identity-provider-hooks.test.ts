import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { eventLineSchema } from '../../shared/domain/events/event-schemas.ts';
import { maskPhone } from '../../shared/domain/phone.ts';
import { standardWebhooks } from '../../shared/adapters/webhooks/standard-webhooks.ts';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Identity-provider integrations", over HTTP against the local server. The request bodies are
 * copied in shape from each provider's documentation:
 * - Supabase Send SMS hook: https://supabase.com/docs/guides/auth/auth-hooks/send-sms-hook
 * - Okta telephony inline hook: https://developer.okta.com/docs/reference/telephony-hook/
 * - Ory Kratos HTTP courier: https://www.ory.sh/docs/kratos/self-hosted/sending-sms (body from the
 *   README's Jsonnet template `{ recipient: ctx.to, body: ctx.body }`)
 * - Auth0 custom-phone-provider event.notification:
 *   https://auth0.com/docs/customize/phone-messages/configure-phone-messaging-providers/configure-a-custom-phone-provider
 */
let server: TestServer;
let hanging: FakeProvider;
let failing: FakeProvider;
beforeAll(async () => {
  server = await startTestServer();
  hanging = await startFakeProvider();
  hanging.reply({ status: 200, body: {}, delayMs: 60_000 });
  failing = await startFakeProvider();
  failing.reply({ status: 500, body: { error: 'internal' } });
});
afterAll(async () => {
  await Promise.all([hanging.close(), failing.close()]);
  await server.stop();
});

type Kind = 'supabase' | 'okta' | 'kratos' | 'auth0';

async function integration(kind: Kind | 'cognito', storeSettings: Record<string, unknown> = {}) {
  const { storeId } = await clientFor(server, storeSettings);
  const created = await server.admin('POST', `/admin/identity-stores/${storeId}/integrations`, {
    kind,
    name: `${kind} prod`,
    ...(kind === 'cognito'
      ? {
          settings: {
            userPoolId: 'eu-west-1_AbCdEf123',
            kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          },
        }
      : {}),
  });
  expect(created.status, created.text).toBe(201);
  return { storeId, ...(created.body as { id: string; secret: string; hookUrl: string }) };
}

const hook = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  server.call('POST', `/hooks/${id}`, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers,
  });

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function supabaseBody(phone: string, otp: string) {
  return JSON.stringify({
    user: {
      id: '6481a5c1-3d37-4a56-9f6a-bee08c554965',
      aud: 'authenticated',
      role: 'authenticated',
      email: '',
      phone,
      phone_confirmed_at: '2024-05-13T11:52:48.157306Z',
      app_metadata: { provider: 'phone', providers: ['phone'] },
      user_metadata: {},
      identities: [],
      created_at: '2024-05-13T11:52:48.157306Z',
      updated_at: '2024-05-14T12:31:52.824573Z',
      is_anonymous: false,
    },
    sms: { otp },
  });
}

function supabaseHeaders(secret: string, webhookId: string, rawBody: string, at = Date.now()) {
  const timestamp = Math.floor(at / 1000);
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardWebhooks.sign(secret, webhookId, timestamp, rawBody),
  };
}

function oktaBody(eventId: string, phoneNumber: string, otpCode: string, deliveryChannel = 'SMS') {
  return {
    eventId,
    eventTime: '2022-01-28T21:43:50.000Z',
    eventType: 'com.okta.telephony.provider',
    eventTypeVersion: '1.0',
    contentType: 'application/json',
    cloudEventVersion: '0.1',
    source: 'https://example.okta.com/api/v1/inlineHooks/cal2xd5phv9fsPLcF0g7',
    requestType: 'com.okta.user.telephony.mfa-verification',
    data: {
      context: { request: { id: 'reqRgSk8IBBRhuo0YdlEDTmUw', method: 'POST', ipAddress: '127.0.0.1' } },
      userProfile: {
        firstName: 'test',
        lastName: 'user',
        login: 'test.user@okta.com',
        userId: '00uyxxSknGtK8022w0g3',
      },
      messageProfile: {
        msgTemplate: 'Your code is ${code}',
        phoneNumber,
        otpExpires: '2022-01-28T21:48:34.321Z',
        deliveryChannel,
        otpCode,
        locale: 'EN-US',
      },
    },
  };
}

const sentTo = async (to: string) => (await outbox(server)).filter((m) => m.to === to);

describe('integrations (admin)', () => {
  it('creates each kind with its secret shown once, a hookUrl, and no secret in the table', async () => {
    const supabase = await integration('supabase');
    expect(supabase.secret).toMatch(/^v1,whsec_[A-Za-z0-9+/]{43}=$/);
    expect(supabase.hookUrl).toBe(`${server.url}/hooks/${supabase.id}`);
    const okta = await integration('okta');
    expect(okta.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cognito = await integration('cognito');
    expect(cognito.secret).toBeUndefined();
    expect(cognito.hookUrl).toBeNull();

    const got = await server.admin('GET', `/admin/identity-stores/${okta.storeId}/integrations/${okta.id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    expect(got.headers.get('etag')).toBe('"1"');
    const list = await server.admin('GET', `/admin/identity-stores/${okta.storeId}/integrations`);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([okta.id]);

    const patched = await server.admin(
      'PATCH',
      `/admin/identity-stores/${okta.storeId}/integrations/${okta.id}`,
      { name: 'Okta main' },
      { 'if-match': '"1"' },
    );
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Okta main', version: 2 });
    const stale = await server.admin(
      'PATCH',
      `/admin/identity-stores/${okta.storeId}/integrations/${okta.id}`,
      { name: 'Okta again' },
      { 'if-match': '"1"' },
    );
    expectProblem(stale, 409, 'conflict');
    // Another store's id is not found.
    const other = await integration('kratos');
    expectProblem(
      await server.admin('GET', `/admin/identity-stores/${other.storeId}/integrations/${okta.id}`),
      404,
      'not-found',
    );
    expectProblem(
      await server.admin('POST', `/admin/identity-stores/${okta.storeId}/integrations`, {
        kind: 'cognito',
        name: 'no settings',
      }),
      400,
      'validation-failed',
    );

    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    const items = JSON.stringify(
      (await documents.send(new ScanCommand({ TableName: server.tableName }))).Items,
    );
    for (const secret of [supabase.secret, okta.secret]) {
      expect(items).not.toContain(secret);
      expect(items).not.toContain(secret.replace('v1,whsec_', ''));
    }
  });

  it('rotates a secret: the new and the previous one both authenticate', async () => {
    const kratos = await integration('kratos');
    const path = `/admin/identity-stores/${kratos.storeId}/integrations/${kratos.id}/rotate-secret`;
    const rotated = await server.admin('POST', path);
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.secret).not.toBe(kratos.secret);
    for (const secret of [kratos.secret, rotated.body.secret]) {
      const phone = mobileNumber();
      const answer = await hook(kratos.id, { recipient: phone, body: 'Your code: 111222' }, bearer(secret));
      expect(answer.status, answer.text).toBe(200);
    }
    // A second rotation ends the first secret at once: only one previous secret is kept.
    await server.admin('POST', path);
    expectProblem(
      await hook(kratos.id, { recipient: mobileNumber(), body: 'x 1' }, bearer(kratos.secret)),
      401,
      'unauthorized',
    );
  });
});

describe('supabase', () => {
  it('sends the store template with the otp to the normalised number and answers 200 {}', async () => {
    const { id, secret } = await integration('supabase', {
      smsAuth: { messageTemplate: 'Acme code: [Code]' },
    });
    const phone = mobileNumber();
    const raw = supabaseBody(phone.slice(1), '482913');
    const answer = await hook(id, raw, supabaseHeaders(secret, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', raw));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({});
    const sent = await sentTo(phone);
    expect(sent.map((m) => m.body)).toEqual(['Acme code: 482913']);
  });

  it('refuses a wrong, missing or stale signature with 401 and sends nothing', async () => {
    const { id, secret } = await integration('supabase');
    const phone = mobileNumber();
    const raw = supabaseBody(phone, '123456');
    const other = `v1,whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const cases = [
      supabaseHeaders(other, 'msg_1', raw),
      {},
      supabaseHeaders(secret, 'msg_2', raw, Date.now() - 6 * 60_000),
      // Signed, but over another body.
      supabaseHeaders(secret, 'msg_3', supabaseBody(phone, '654321')),
    ];
    for (const headers of cases) expectProblem(await hook(id, raw, headers), 401, 'unauthorized');
    expect(await sentTo(phone)).toEqual([]);
  });

  it('sends once for the same webhook-id', async () => {
    const { id, secret } = await integration('supabase');
    const phone = mobileNumber();
    const raw = supabaseBody(phone, '777888');
    const headers = supabaseHeaders(secret, 'msg_same', raw);
    expect((await hook(id, raw, headers)).status).toBe(200);
    expect((await hook(id, raw, headers)).status).toBe(200);
    expect(await sentTo(phone)).toHaveLength(1);
  });

  it('answers every refusal with 500 (Supabase retries 429), the slug kept', async () => {
    const { id, secret } = await integration('supabase', {
      codePolicy: { resendIntervalSeconds: 0 },
      sendLimits: { perPhonePer10Minutes: 1 },
    });
    const phone = mobileNumber();
    const first = supabaseBody(phone, '100200');
    expect((await hook(id, first, supabaseHeaders(secret, 'msg_a', first))).status).toBe(200);
    const second = supabaseBody(phone, '300400');
    const refused = await hook(id, second, supabaseHeaders(secret, 'msg_b', second));
    expect(refused.status).toBe(500);
    expect(refused.body.type).toMatch(/\/rate-limited$/);
    expect(refused.body.error).toMatchObject({ http_code: 429 });
    const landline = supabaseBody('+442071838750', '500600');
    const notMobile = await hook(id, landline, supabaseHeaders(secret, 'msg_c', landline));
    expect(notMobile.status).toBe(500);
    expect(notMobile.body.type).toMatch(/\/phone-not-allowed$/);
    expect(await sentTo(phone)).toHaveLength(1);
  });
});

describe('okta', () => {
  it('sends its template with the code and answers the telephony command', async () => {
    const { id, secret } = await integration('okta');
    const phone = mobileNumber();
    const answer = await hook(id, oktaBody('uS5871kJThSsU8qlA1LTcg', phone, '890435'), bearer(secret));
    expect(answer.status, answer.text).toBe(200);
    const sent = await sentTo(phone);
    expect(sent.map((m) => m.body)).toEqual(['Your code is 890435']);
    expect(answer.body).toEqual({
      commands: [
        {
          type: 'com.okta.telephony.action',
          value: [{ status: 'SUCCESSFUL', provider: 'sms-mfa', transactionId: expect.any(String) }],
        },
      ],
    });
  });

  it('sends once per eventId, refuses a wrong secret with 401, and a voice call with an error', async () => {
    const { id, secret } = await integration('okta');
    const phone = mobileNumber();
    const body = oktaBody('evt-twice', phone, '111333');
    expect((await hook(id, body, bearer(secret))).status).toBe(200);
    expect((await hook(id, body, bearer(secret))).status).toBe(200);
    expect(await sentTo(phone)).toHaveLength(1);

    expectProblem(await hook(id, oktaBody('evt-x', phone, '1'), bearer('wrong')), 401, 'unauthorized');
    expectProblem(await hook(id, oktaBody('evt-y', phone, '1')), 401, 'unauthorized');

    const voice = await hook(id, oktaBody('evt-voice', phone, '222444', 'Voice call'), bearer(secret));
    expect(voice.status).toBe(200);
    expect(voice.body).toEqual({ error: { errorSummary: expect.any(String) } });
    expect(await sentTo(phone)).toHaveLength(1);
  });

  it('answers an error within 2.5 seconds when the gateway never answers', async () => {
    const gateway = await server.admin('POST', '/admin/gateways', {
      name: `Hanging ${Math.random()}`,
      type: 'custom-http',
      url: `${hanging.url}/send`,
    });
    const { id, secret } = await integration('okta', { smsAuth: { gatewayId: gateway.body.id } });
    const started = performance.now();
    const answer = await hook(id, oktaBody('evt-hang', mobileNumber(), '909090'), bearer(secret));
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.error.errorSummary).toBeTypeOf('string');
    expect(elapsed).toBeLessThan(2_500);
  });
});

describe('kratos', () => {
  it('delivers the courier body as it is, failing over from a broken gateway', async () => {
    const broken = await server.admin('POST', '/admin/gateways', {
      name: `Failing ${Math.random()}`,
      type: 'custom-http',
      url: `${failing.url}/send`,
    });
    const consoleId = (await server.admin('GET', '/admin/gateways')).body.items.find(
      (g: { type: string }) => g.type === 'console',
    ).id;
    const { id, secret } = await integration('kratos', {
      smsAuth: { gatewayId: broken.body.id, fallbackGatewayIds: [consoleId] },
    });
    const before = failing.requests.length;
    const phone = mobileNumber();
    const text = 'Your verification code is: 123456';
    const answer = await hook(id, { recipient: phone, body: text, extra: 'ignored' }, bearer(secret));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({});
    expect(failing.requests.length - before).toBe(1);
    expect((await sentTo(phone)).map((m) => m.body)).toEqual([text]);
  });

  it('refuses numbers of countries the store does not allow, and a deleted integration with 401', async () => {
    const store = await integration('kratos', { allowedCountries: ['DE'] });
    const phone = mobileNumber();
    expectProblem(
      await hook(store.id, { recipient: phone, body: 'code 1' }, bearer(store.secret)),
      422,
      'phone-not-allowed',
    );
    const removed = await server.admin(
      'DELETE',
      `/admin/identity-stores/${store.storeId}/integrations/${store.id}`,
    );
    expect(removed.status).toBe(204);
    expectProblem(
      await hook(store.id, { recipient: phone, body: 'code 1' }, bearer(store.secret)),
      401,
      'unauthorized',
    );
    expectProblem(
      await hook('int_unknown', { recipient: phone, body: 'x' }, bearer(store.secret)),
      401,
      'unauthorized',
    );
    expect(await sentTo(phone)).toEqual([]);
  });
});

describe('store deletion', () => {
  it("removes the store's integrations (the sweep finds them) and its hooks answer 401", async () => {
    const kratos = await integration('kratos');
    expect((await server.admin('DELETE', `/admin/identity-stores/${kratos.storeId}`)).status).toBe(204);
    expectProblem(
      await hook(kratos.id, { recipient: mobileNumber(), body: 'code 5' }, bearer(kratos.secret)),
      401,
      'unauthorized',
    );
    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    const items = (await documents.send(new ScanCommand({ TableName: server.tableName }))).Items ?? [];
    expect(items.filter((item) => item.pk === `INTEGRATION#${kratos.id}`)).toEqual([]);
  });
});

describe('auth0', () => {
  const require = createRequire(import.meta.url);
  const action = require('../../integrations/auth0/action.cjs') as {
    onExecuteCustomPhoneProvider(event: unknown, api: unknown): Promise<void>;
  };
  const event = (hookUrl: string, secret: string, recipient: string, deliveryMethod = 'text') => ({
    notification: {
      message_type: 'otp_verify',
      delivery_method: deliveryMethod,
      recipient,
      as_text: 'Your verification code is 204817',
      as_voice: 'Your verification code is 2 0 4 8 1 7',
      code: '204817',
      locale: 'en',
      from: '+15555555555',
    },
    secrets: { SMS_MFA_HOOK_URL: hookUrl, SMS_MFA_HOOK_SECRET: secret },
    tenant: { id: 'dev-tenant' },
  });

  it("the shipped Action delivers Auth0's text through the hook", async () => {
    const { hookUrl, secret } = await integration('auth0');
    const phone = mobileNumber();
    await action.onExecuteCustomPhoneProvider(event(hookUrl, secret, phone), {});
    expect((await sentTo(phone)).map((m) => m.body)).toEqual(['Your verification code is 204817']);
  });

  it('throws when refused: a wrong secret, and voice (422 phone-not-allowed, reason channel)', async () => {
    const { id, hookUrl, secret } = await integration('auth0');
    const phone = mobileNumber();
    await expect(action.onExecuteCustomPhoneProvider(event(hookUrl, 'wrong', phone), {})).rejects.toThrow(
      /401/,
    );
    await expect(
      action.onExecuteCustomPhoneProvider(event(hookUrl, secret, phone, 'voice'), {}),
    ).rejects.toThrow(/422/);
    const voice = await hook(id, event(hookUrl, secret, phone, 'voice').notification, bearer(secret));
    expectProblem(voice, 422, 'phone-not-allowed');
    expect(voice.body.reason).toBe('channel');
    expect(await sentTo(phone)).toEqual([]);
  });
});

describe('code.sent events of relayed codes', () => {
  const sentEvents = async (integrationId: string) =>
    (await readFile(join(server.dataDir, 'events.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .filter((event) => event.type === 'code.sent' && event.data.integrationId === integrationId);

  it('each hook kind emits code.sent with source: its kind, no code and no full number', async () => {
    const code = '640271';
    const requests: Record<Kind, (id: string, secret: string, hookUrl: string, to: string) => Promise<void>> =
      {
        supabase: async (id, secret, _url, to) => {
          const raw = supabaseBody(to, code);
          expect((await hook(id, raw, supabaseHeaders(secret, `msg_${id}`, raw))).status).toBe(200);
        },
        okta: async (id, secret, _url, to) => {
          expect((await hook(id, oktaBody(`evt-${id}`, to, code), bearer(secret))).status).toBe(200);
        },
        kratos: async (id, secret, _url, to) => {
          const answer = await hook(id, { recipient: to, body: `Code ${code}` }, bearer(secret));
          expect(answer.status).toBe(200);
        },
        auth0: async (id, secret, _url, to) => {
          const notification = { recipient: to, as_text: `Code ${code}`, code, message_type: 'otp_verify' };
          expect((await hook(id, notification, bearer(secret))).status).toBe(200);
        },
      };
    for (const kind of Object.keys(requests) as Kind[]) {
      const { id, secret, hookUrl, storeId } = await integration(kind);
      const phone = mobileNumber();
      await requests[kind](id, secret, hookUrl, phone);
      const events = await sentEvents(id);
      expect(events, kind).toHaveLength(1);
      const data = events[0]!.data;
      expect(data).toMatchObject({
        storeId,
        integrationId: id,
        source: kind,
        maskedPhone: maskPhone(phone),
        gatewayType: 'console',
        attempt: 1,
        outcome: 'accepted',
        segments: 1,
        test: false,
      });
      // The event catalogue's schema of code.sent (the relayed shape).
      expect(eventLineSchema.safeParse(events[0]).error?.issues ?? []).toEqual([]);
      const text = JSON.stringify(data);
      expect(text).not.toContain(code);
      expect(text).not.toContain(phone.slice(1));
    }
  });

  it('a refused relay emits no code.sent; a replayed event id emits no second one', async () => {
    const { id, secret } = await integration('okta', { allowedCountries: ['DE'] });
    expect((await hook(id, oktaBody('evt-refused', mobileNumber(), '1234'), bearer(secret))).body).toEqual({
      error: { errorSummary: expect.any(String) },
    });
    expect(await sentEvents(id)).toEqual([]);
    const other = await integration('okta');
    const body = oktaBody('evt-replayed', mobileNumber(), '5678');
    expect((await hook(other.id, body, bearer(other.secret))).status).toBe(200);
    expect((await hook(other.id, body, bearer(other.secret))).status).toBe(200);
    expect(await sentEvents(other.id)).toHaveLength(1);
  });
});

describe('no relayed code is kept', () => {
  it('neither the table, the logs nor the events of a run hold a relayed code (the outbox is the only copy)', async () => {
    const output: string[] = [];
    const record = (...parts: unknown[]) => void output.push(parts.map(String).join(' ') + '\n');
    // Powertools writes to the streams; the local outbox line goes through console.log.
    const spies = [
      ...[process.stdout, process.stderr].map((stream) =>
        vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          record(chunk);
          return true;
        }),
      ),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation(record),
      ),
    ];
    const code = '918273';
    let kratosId: string | undefined;
    try {
      const kratos = await integration('kratos');
      kratosId = kratos.id;
      const ok = await hook(
        kratos.id,
        { recipient: mobileNumber(), body: `Code ${code}` },
        bearer(kratos.secret),
      );
      expect(ok.status).toBe(200);
      const supabase = await integration('supabase', { allowedCountries: ['DE'] });
      const raw = supabaseBody(mobileNumber(), code);
      const refused = await hook(supabase.id, raw, supabaseHeaders(supabase.secret, 'msg_log', raw));
      expect(refused.status).toBe(500);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    const items = JSON.stringify(
      (await documents.send(new ScanCommand({ TableName: server.tableName }))).Items,
    );
    expect(items).not.toContain(code);
    const logs = output
      .join('')
      .split('\n')
      .filter((line) => !line.startsWith('[outbox]'));
    expect(output.join('')).toContain('[outbox]');
    expect(logs.join('\n')).not.toContain(code);
    // The run's events (code.sent of the relayed send among them) hold no code either.
    const events = await readFile(join(server.dataDir, 'events.jsonl'), 'utf8');
    expect(events).toContain(`"integrationId":"${kratosId!}"`);
    expect(events).not.toContain(code);
  });
});
