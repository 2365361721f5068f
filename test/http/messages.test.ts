import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateInfo } from '../../shared/domain/sms-encoding.ts';
import { clientFor, lastCode, mobileNumber, outbox } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { parseOriginBoundCode } from '../support/one-time-code-line.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

/** issue 27: templates per language, the applications' autofill lines, the segment budget, senders per country. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const TEMPLATES = {
  de: 'Ihr Bestätigungscode lautet [Code]',
  'pt-BR': 'Seu código de verificação é [Code]',
  'zh-Hant': '您的驗證碼是 [Code]',
};

const lastBodyTo = async (to: string) => (await outbox(server)).filter((m) => m.to === to).at(-1)?.body;
const storePath = (storeId: string) => `/admin/identity-stores/${storeId}`;

describe('templates per language', () => {
  it('de-AT gets de, pt-br gets pt-BR, fr the default; every route takes locale', async () => {
    const client = await clientFor(server, { smsAuth: { messageTemplates: TEMPLATES } });
    const cases: Array<[string, string]> = [
      ['de-AT', 'Ihr Bestätigungscode lautet '],
      ['pt-br', 'Seu código de verificação é '],
      ['zh-Hant-TW', '您的驗證碼是 '],
      ['fr', 'Your verification code is '],
    ];
    for (const [locale, prefix] of cases) {
      const phone = mobileNumber();
      const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone, locale });
      expect(sent.status, sent.text).toBe(201);
      const body = await lastBodyTo(phone);
      expect(body, locale).toMatch(new RegExp(`^${prefix}\\d{6}$`));
    }
    // Enroll and authenticate take it too.
    const phone = mobileNumber();
    const enrolled = await client.call('PUT', '/v1/users/u-1/sms-factor', {
      phoneNumber: phone,
      locale: 'de',
    });
    expect(enrolled.status, enrolled.text).toBe(202);
    expect(await lastBodyTo(phone)).toMatch(/^Ihr Bestätigungscode lautet \d{6}$/);
    const code = await lastCode(server, phone);
    const verified = await client.call('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, {
      code,
    });
    expect(verified.status, verified.text).toBe(200);
    const challenged = await client.call('POST', '/v1/users/u-1/sms-factor/challenges', { locale: 'pt-BR' });
    expect(challenged.status, challenged.text).toBe(201);
    expect(await lastBodyTo(phone)).toMatch(/^Seu código de verificação é \d{6}$/);
  });

  it('refuses a locale that is no language tag, and templates with bad keys or without [Code]', async () => {
    const client = await clientFor(server);
    for (const locale of ['de_DE', 'x'.repeat(36), '']) {
      const refused = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber(), locale });
      expectProblem(refused, 400, 'validation-failed');
      expect(errorPaths(refused)).toEqual(['locale']);
    }
    const bad = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { de_DE: 'Code [Code]', fr: 'Votre code' } },
    });
    expectProblem(bad, 400, 'validation-failed');
    expect(errorPaths(bad)).toEqual(['smsAuth.messageTemplates.de_DE', 'smsAuth.messageTemplates.fr']);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x-t${i}`, '[Code]']));
    const tooMany = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: many },
    });
    expectProblem(tooMany, 400, 'validation-failed');
  });

  it('messageInfoByLocale matches the counter for every entry; null removes a language', async () => {
    const long = `${'Ä'.repeat(150)} {[Code]}`;
    const client = await clientFor(server, {
      smsAuth: { messageTemplates: { ...TEMPLATES, 'en-GB': long } },
      codePolicy: { length: 8 },
    });
    const store = await server.admin('GET', storePath(client.storeId));
    const { messageTemplates, messageInfoByLocale, messageInfo } = store.body.smsAuth;
    expect(messageTemplates).toEqual({ ...TEMPLATES, 'en-GB': long });
    expect(Object.keys(messageInfoByLocale).sort()).toEqual(Object.keys(messageTemplates).sort());
    for (const [tag, template] of Object.entries(messageTemplates as Record<string, string>)) {
      const { encoding, segments } = templateInfo(template, 8);
      expect(messageInfoByLocale[tag], tag).toEqual({ encoding, segments });
    }
    expect(messageInfoByLocale['en-GB']).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(messageInfoByLocale['zh-Hant']).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(messageInfo).toEqual({ encoding: 'GSM-7', segments: 1 });

    const removed = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { 'en-GB': null } },
    });
    expect(removed.status, removed.text).toBe(200);
    expect(Object.keys(removed.body.smsAuth.messageTemplates).sort()).toEqual(['de', 'pt-BR', 'zh-Hant']);
  });

  it("the okta hook uses its payload's locale where the store's template is sent", async () => {
    const client = await clientFor(server, { smsAuth: { messageTemplates: TEMPLATES } });
    const created = await server.admin('POST', `${storePath(client.storeId)}/integrations`, {
      kind: 'okta',
      name: 'okta prod',
    });
    expect(created.status, created.text).toBe(201);
    const phone = mobileNumber();
    const answer = await server.call('POST', `/hooks/${created.body.id}`, {
      body: {
        eventId: 'evt-locale',
        data: {
          messageProfile: { phoneNumber: phone, otpCode: '480213', deliveryChannel: 'SMS', locale: 'de-DE' },
        },
      },
      headers: { authorization: `Bearer ${created.body.secret}` },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.commands).toBeDefined();
    expect(await lastBodyTo(phone)).toBe('Ihr Bestätigungscode lautet 480213');
  });
});

describe('application autofill lines', () => {
  async function applicationKey(storeId: string, messageOptions: Record<string, unknown>) {
    const app = await server.admin('POST', `${storePath(storeId)}/applications`, {
      name: 'Web',
      messageOptions,
    });
    expect(app.status, app.text).toBe(201);
    const key = await server.admin('POST', `${storePath(storeId)}/api-keys`, {
      name: 'web',
      applicationId: app.body.id,
    });
    expect(key.status, key.text).toBe(201);
    const headers = { authorization: `Bearer ${key.body.key}` };
    return {
      app: app.body,
      call: (method: string, path: string, body?: unknown) => server.call(method, path, { body, headers }),
    };
  }

  it('ends the message with an empty line, the app hash and @<domain> #<code>; that code verifies', async () => {
    const client = await clientFor(server, { smsAuth: { messageTemplates: TEMPLATES } });
    const { app, call } = await applicationKey(client.storeId, {
      originDomain: 'Login.Example.COM',
      androidAppHash: 'FA+9qCX9VSu',
    });
    expect(app.messageOptions).toEqual({ originDomain: 'login.example.com', androidAppHash: 'FA+9qCX9VSu' });
    const phone = mobileNumber();
    const sent = await call('POST', '/v1/verifications', { phoneNumber: phone, locale: 'de' });
    expect(sent.status, sent.text).toBe(201);
    const body = (await lastBodyTo(phone))!;
    expect(body).toMatch(/^Ihr Bestätigungscode lautet (\d{6})\n\nFA\+9qCX9VSu\n@login\.example\.com #\1$/);
    const parsed = parseOriginBoundCode(body);
    expect(parsed?.topLevelHost).toBe('login.example.com');
    const verified = await call('POST', `/v1/challenges/${sent.body.id}/verify`, { code: parsed!.code });
    expect(verified.status, verified.text).toBe(200);

    // A store-level key of the same store sends no lines.
    const other = mobileNumber();
    await client.call('POST', '/v1/verifications', { phoneNumber: other });
    expect(await lastBodyTo(other)).toMatch(/^Your verification code is \d{6}$/);
  });

  it('refuses a domain with a scheme, port or path, and a hash that is not 11 characters', async () => {
    const client = await clientFor(server);
    for (const originDomain of ['https://example.com', 'example.com:8443', 'example.com/login']) {
      const refused = await server.admin('POST', `${storePath(client.storeId)}/applications`, {
        name: 'Web',
        messageOptions: { originDomain },
      });
      expectProblem(refused, 400, 'validation-failed');
      expect(errorPaths(refused)).toEqual(['messageOptions.originDomain']);
    }
    const hash = await server.admin('POST', `${storePath(client.storeId)}/applications`, {
      name: 'Web',
      messageOptions: { androidAppHash: 'short' },
    });
    expect(errorPaths(hash)).toEqual(['messageOptions.androidAppHash']);
  });
});

describe('maxSegments', () => {
  /** 154 septets + a 6-digit code = 160: one GSM-7 segment exactly. */
  const full = `${'a'.repeat(154)}[Code]`;

  async function budgetStore() {
    const client = await clientFor(server, {
      smsAuth: { maxSegments: 1, messageTemplate: full, messageTemplates: { de: 'Ihr Code: [Code]' } },
    });
    const before = await server.admin('GET', storePath(client.storeId));
    expect(before.body.smsAuth.maxSegments).toBe(1);
    return { client, before: before.body };
  }

  async function expectRefused(
    response: Awaited<ReturnType<TestServer['admin']>>,
    path: string,
    segments: number,
  ) {
    expectProblem(response, 400, 'validation-failed');
    const errors = response.body.errors as Array<{ path: string; message: string }>;
    expect(errors.map((e) => e.path)).toEqual([path]);
    expect(errors[0]!.message).toContain(`${segments} segments`);
  }

  it('refuses a de template of 161 GSM-7 characters, a UCS-2 one over 70, at the written path; nothing changes', async () => {
    const { client, before } = await budgetStore();
    const gsm = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { de: `${'ä'.repeat(155)}[Code]` } },
    });
    await expectRefused(gsm, 'smsAuth.messageTemplates.de', 2);
    // An extension character counts 2: 153 + 2 + 6 = 161.
    const euro = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { de: `${'a'.repeat(153)}€[Code]` } },
    });
    await expectRefused(euro, 'smsAuth.messageTemplates.de', 2);
    const ucs2 = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { ru: `${'ж'.repeat(65)}[Code]` } },
    });
    await expectRefused(ucs2, 'smsAuth.messageTemplates.ru', 2);
    // Setting the limit and a template in one write: the error is at the template.
    const both = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { maxSegments: 1, messageTemplates: { de: `${'ä'.repeat(310)}[Code]` } },
    });
    await expectRefused(both, 'smsAuth.messageTemplates.de', 3);
    // Exactly at the limit is fine, 70 UCS-2 units too.
    const fits = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { ru: `${'ж'.repeat(64)}[Code]` } },
    });
    expect(fits.status, fits.text).toBe(200);
    const { updatedAt: _u, version, ...unchanged } = before;
    const after = await server.admin('GET', storePath(client.storeId));
    expect(after.body.version).toBe(version + 1);
    expect(after.body.smsAuth.messageTemplates).toEqual({
      de: 'Ihr Code: [Code]',
      ru: `${'ж'.repeat(64)}[Code]`,
    });
    expect(after.body.smsAuth.messageTemplate).toBe(unchanged.smsAuth.messageTemplate);
  });

  it("refuses an application's originDomain that pushes the default template over, and a codePolicy.length raise", async () => {
    const { client, before } = await budgetStore();
    const apps = `${storePath(client.storeId)}/applications`;
    const created = await server.admin('POST', apps, {
      name: 'Web',
      messageOptions: { originDomain: 'example.com' },
    });
    await expectRefused(created, 'messageOptions.originDomain', 2);
    expect((await server.admin('GET', apps)).body.items).toEqual([]);

    const plain = await server.admin('POST', apps, { name: 'Web' });
    expect(plain.status, plain.text).toBe(201);
    const patched = await server.admin('PATCH', `${apps}/${plain.body.id}`, {
      messageOptions: { androidAppHash: 'FA+9qCX9VSu' },
    });
    await expectRefused(patched, 'messageOptions.androidAppHash', 2);
    const app = await server.admin('GET', `${apps}/${plain.body.id}`);
    expect(app.body.version).toBe(1);
    expect(app.body.messageOptions).toEqual({ originDomain: null, androidAppHash: null });

    const longer = await server.admin('PATCH', storePath(client.storeId), { codePolicy: { length: 7 } });
    await expectRefused(longer, 'codePolicy.length', 2);
    expect(await server.admin('GET', storePath(client.storeId)).then((r) => r.body)).toEqual(before);
  });

  it("checks each application's lines when the limit or a template is written", async () => {
    const client = await clientFor(server, { smsAuth: { messageTemplate: full } });
    const apps = `${storePath(client.storeId)}/applications`;
    const created = await server.admin('POST', apps, {
      name: 'Web',
      messageOptions: { originDomain: 'example.com' },
    });
    expect(created.status, created.text).toBe(201);
    const limited = await server.admin('PATCH', storePath(client.storeId), { smsAuth: { maxSegments: 1 } });
    await expectRefused(limited, 'smsAuth.maxSegments', 2);
    expect(limited.body.errors[0].message).toContain('Web');
    const two = await server.admin('PATCH', storePath(client.storeId), { smsAuth: { maxSegments: 2 } });
    expect(two.status, two.text).toBe(200);
    const template = await server.admin('PATCH', storePath(client.storeId), {
      smsAuth: { messageTemplates: { de: `${'a'.repeat(290)}[Code]` } },
    });
    await expectRefused(template, 'smsAuth.messageTemplates.de', 3);
    for (const maxSegments of [0, 11]) {
      const out = await server.admin('PATCH', storePath(client.storeId), { smsAuth: { maxSegments } });
      expect(errorPaths(out)).toEqual(['smsAuth.maxSegments']);
    }
  });
});

describe('gateway senderIds', () => {
  it('keeps valid senders per country and refuses others at their path', async () => {
    const created = await server.admin('POST', '/admin/gateways', {
      name: `Twilio ${Math.random().toString(36).slice(2)}`,
      type: 'twilio',
      accountId: 'AC0123456789abcdef0123456789abcdef',
      password: 'token',
      from: '+15005550006',
      senderIds: { DE: 'Contoso', GB: '+447400123456', US: '55555' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.senderIds).toEqual({ DE: 'Contoso', GB: '+447400123456', US: '55555' });
    const item = `/admin/gateways/${created.body.id}`;
    const patched = await server.admin('PATCH', item, { senderIds: { GB: null, FR: 'Contoso FR' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.senderIds).toEqual({ DE: 'Contoso', US: '55555', FR: 'Contoso FR' });

    const refused = await server.admin('PATCH', item, {
      senderIds: { DE: 'Contoso GmbH Berlin', IT: '12', ES: 'Café', XX: 'Acme', fr: 'Acme' },
    });
    expectProblem(refused, 400, 'validation-failed');
    expect(errorPaths(refused), refused.text).toEqual([
      'senderIds.DE',
      'senderIds.ES',
      'senderIds.IT',
      'senderIds.XX',
      'senderIds.fr',
    ]);
    expect((await server.admin('GET', item)).body.senderIds).toEqual(patched.body.senderIds);
  });
});
