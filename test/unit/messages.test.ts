import { describe, expect, it } from 'vitest';
import { senderIdProblems, withSenderFor } from '../../shared/domain/gateways/sender-ids.ts';
import { isLanguageTag, lookupChain, lookupTag, templateFor } from '../../shared/domain/messages/locale.ts';
import { originDomainProblem, withAutofillLines } from '../../shared/domain/messages/message-options.ts';
import {
  budgetErrors,
  namedTemplates,
  segmentOverruns,
} from '../../shared/domain/messages/segment-budget.ts';
import { messageTemplateProblems } from '../../shared/domain/messages/template-problems.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import { auth0 } from '../../shared/http/hooks/auth0.ts';
import { okta } from '../../shared/http/hooks/okta.ts';
import { messageBody, NO_ORIGIN, planSend } from '../../shared/domain/sending/send-plan.ts';
import { renderTemplate } from '../../shared/domain/sms-encoding.ts';
import { parseOriginBoundCode } from '../support/one-time-code-line.ts';
import { storeFixture } from '../support/store-fixture.ts';

const TEMPLATES = {
  de: 'Ihr Code lautet [Code]',
  'pt-BR': 'Seu código é [Code]',
  pt: 'O seu código é [Code]',
  'zh-Hant': '您的驗證碼是 [Code]',
  zh: '您的验证码是 [Code]',
};
const smsAuth = { messageTemplate: 'Your code is [Code]', messageTemplates: TEMPLATES };

describe('locale lookup (RFC 4647 §3.4)', () => {
  it.each([
    ['de-AT', TEMPLATES.de],
    ['de', TEMPLATES.de],
    ['DE', TEMPLATES.de],
    ['pt-br', TEMPLATES['pt-BR']],
    ['pt-PT', TEMPLATES.pt],
    ['zh-Hant-TW', TEMPLATES['zh-Hant']],
    ['zh-Hans-CN', TEMPLATES.zh],
    ['fr', smsAuth.messageTemplate],
    ['fr-CA', smsAuth.messageTemplate],
    [undefined, smsAuth.messageTemplate],
  ])('%s gets its template', (locale, expected) => {
    expect(templateFor(smsAuth, locale)).toBe(expected);
  });

  it('drops a singleton with the subtag after it, and never matches a prefix of a subtag', () => {
    expect(lookupChain('zh-Hant-TW')).toEqual(['zh-hant-tw', 'zh-hant', 'zh']);
    expect(lookupChain('de-CH-x-phonebk')).toEqual(['de-ch-x-phonebk', 'de-ch', 'de']);
    expect(lookupTag({ d: 'x [Code]' }, 'de')).toBeUndefined();
    expect(lookupTag({ 'zh-Ha': 'x [Code]' }, 'zh-Hant')).toBeUndefined();
  });

  it('judges tags as BCP 47', () => {
    for (const tag of ['de', 'pt-BR', 'zh-Hant', 'zh-Hant-TW', 'es-419', 'sr-Latn-RS']) {
      expect(isLanguageTag(tag), tag).toBe(true);
    }
    for (const tag of ['', 'de_DE', '123', 'e', '-', 'de-', 'a'.repeat(36), 'pt BR']) {
      expect(isLanguageTag(tag), tag).toBe(false);
    }
  });

  it('refuses more than 50 languages, malformed keys, keys twice in another case and texts without [Code]', () => {
    const many = Object.fromEntries(
      Array.from({ length: 51 }, (_, i) => [
        `x${String.fromCharCode(97 + (i % 26))}${i}`.slice(0, 8),
        'a [Code]',
      ]),
    );
    expect(messageTemplateProblems(many).map((p) => p.path)).toContain('smsAuth.messageTemplates');
    expect(messageTemplateProblems({ de_DE: 'a [Code]' })).toEqual([
      { path: 'smsAuth.messageTemplates.de_DE', message: expect.stringContaining('language tag') },
    ]);
    expect(messageTemplateProblems({ de: 'a [Code]', DE: 'b [Code]' }).map((p) => p.path)).toEqual([
      'smsAuth.messageTemplates.DE',
    ]);
    expect(messageTemplateProblems({ fr: 'Votre code' })).toEqual([
      { path: 'smsAuth.messageTemplates.fr', message: expect.stringContaining('[Code]') },
    ]);
  });
});

describe('autofill lines', () => {
  const text = 'Your code is [Code]';
  it('lays out the hash and the origin-bound line exactly', () => {
    expect(withAutofillLines(text, { originDomain: 'example.com', androidAppHash: 'FA+9qCX9VSu' })).toBe(
      'Your code is [Code]\n\nFA+9qCX9VSu\n@example.com #[Code]',
    );
    expect(withAutofillLines(text, { originDomain: 'example.com', androidAppHash: null })).toBe(
      'Your code is [Code]\n\n@example.com #[Code]',
    );
    expect(withAutofillLines(text, { originDomain: null, androidAppHash: 'FA+9qCX9VSu' })).toBe(
      'Your code is [Code]\n\nFA+9qCX9VSu',
    );
    expect(withAutofillLines(text, { originDomain: null, androidAppHash: null })).toBe(text);
    expect(withAutofillLines(text, undefined)).toBe(text);
  });

  it('renders a last line that the WICG grammar parses, with the code that was sent', () => {
    const template = withAutofillLines(text, {
      originDomain: 'login.example.com',
      androidAppHash: 'FA+9qCX9VSu',
    });
    const message = renderTemplate(template, '482913');
    expect(message.endsWith('\n')).toBe(false);
    expect(parseOriginBoundCode(message)).toEqual({ topLevelHost: 'login.example.com', code: '482913' });
    // The parser is not a mirror of the renderer: it refuses what the grammar refuses.
    expect(parseOriginBoundCode('x\n@login.example.com  #482913')).toBeUndefined();
    expect(parseOriginBoundCode('x\n@login.example.com #482913\n')).toBeUndefined();
    expect(parseOriginBoundCode('x\n@https://login.example.com #482913')).toBeUndefined();
  });

  it('takes a bare host name only', () => {
    expect(originDomainProblem('Login.Example.com')).toBeUndefined();
    expect(originDomainProblem('localhost')).toBeUndefined();
    for (const bad of [
      'https://example.com',
      'example.com:443',
      'example.com/login',
      'exa mple.com',
      '-x.com',
      'a..b',
      '',
    ]) {
      expect(originDomainProblem(bad), bad).toBeDefined();
    }
    expect(originDomainProblem(`${'a'.repeat(63)}.`.repeat(4) + 'com')).toContain('253');
  });
});

describe('segment budget', () => {
  const app = (originDomain: string) => ({
    id: 'app_1',
    name: 'Portal',
    messageOptions: { originDomain, androidAppHash: null },
  });
  // 154 septets of text + 6 digits = 160: exactly one GSM-7 segment.
  const fits = `${'a'.repeat(154)}[Code]`;

  it('counts the rendered message: code length, extension characters as 2, UCS-2 at 70', () => {
    const facts = (template: string, codeLength = 6) => ({
      templates: namedTemplates({ messageTemplate: 'x [Code]', messageTemplates: { de: template } }),
      applications: [],
      codeLength,
      maxSegments: 1,
    });
    expect(segmentOverruns(facts(fits))).toEqual([]);
    expect(segmentOverruns(facts(`${'a'.repeat(155)}[Code]`))[0]).toMatchObject({
      template: { path: 'smsAuth.messageTemplates.de' },
      segments: 2,
    });
    expect(segmentOverruns(facts(fits, 7))[0]?.segments).toBe(2);
    // One `€` is two septets: 153 + 2 + 6 = 161.
    expect(segmentOverruns(facts(`${'a'.repeat(153)}€[Code]`))[0]?.segments).toBe(2);
    expect(segmentOverruns(facts(`${'ж'.repeat(64)}[Code]`))).toEqual([]);
    expect(segmentOverruns(facts(`${'ж'.repeat(65)}[Code]`))[0]?.segments).toBe(2);
  });

  it("adds each application's lines to each template and puts the error at the written path", () => {
    const facts = {
      templates: namedTemplates({ messageTemplate: fits }),
      applications: [app('example.com')],
      codeLength: 6,
      maxSegments: 1,
    };
    const none = { templatePaths: new Set<string>(), codeLength: false, maxSegments: false };
    expect(budgetErrors(facts, none, 'messageOptions.originDomain')).toEqual([
      { path: 'messageOptions.originDomain', message: expect.stringContaining('2 segments') },
    ]);
    expect(budgetErrors(facts, { ...none, maxSegments: true })[0]?.path).toBe('smsAuth.maxSegments');
    expect(budgetErrors(facts, { ...none, codeLength: true, maxSegments: true })[0]?.path).toBe(
      'codePolicy.length',
    );
    const templateWritten = {
      ...none,
      templatePaths: new Set(['smsAuth.messageTemplate']),
      maxSegments: true,
    };
    expect(budgetErrors(facts, templateWritten)[0]?.path).toBe('smsAuth.messageTemplate');
    expect(budgetErrors({ ...facts, maxSegments: 2 }, none)).toEqual([]);
    expect(budgetErrors({ ...facts, maxSegments: null }, none)).toEqual([]);
  });
});

describe('the send plan renders the message actually sent', () => {
  const phone = parsePhone('+447400123456')!;
  const plan = (origin = NO_ORIGIN) =>
    planSend({
      store: storeFixture({ smsAuth }),
      phone,
      purpose: 'authenticate',
      origin,
      pointer: undefined,
      factor: undefined,
      now: Date.UTC(2026, 11, 6),
      shardSeed: 0,
    });

  it("picks the locale's template and adds the application's lines; segments count what goes out", () => {
    const options = { originDomain: 'example.com', androidAppHash: 'FA+9qCX9VSu' };
    const localized = plan({ ...NO_ORIGIN, locale: 'de-AT', messageOptions: options });
    expect(messageBody(localized, '123456')).toBe(
      'Ihr Code lautet 123456\n\nFA+9qCX9VSu\n@example.com #123456',
    );
    expect(localized.message.segments).toBe(1);
    expect(messageBody(plan(), '123456')).toBe('Your code is 123456');
    const chinese = plan({ ...NO_ORIGIN, locale: 'zh-Hant-TW', messageOptions: options });
    // UCS-2: the Chinese text with the lines is 13 + 2 + 11 + 1 + 20 = 47 units: one segment...
    expect(chinese.message.segments).toBe(1);
    // ...and a longer one splits at 67 per part, counted on the rendered text with its lines.
    const long = planSend({
      ...{ phone, purpose: 'authenticate', pointer: undefined, factor: undefined, now: 0, shardSeed: 0 },
      store: storeFixture({ smsAuth: { ...smsAuth, messageTemplates: { zh: `${'碼'.repeat(40)} [Code]` } } }),
      origin: { ...NO_ORIGIN, locale: 'zh', messageOptions: options },
    });
    expect(long.message.segments).toBe(2);
  });

  it("relays use the locale where the store's template is used, and the provider's text otherwise", () => {
    const relay = (relayed: { text: string | undefined; code: string | undefined }, locale?: string) =>
      planSend({
        store: storeFixture({ smsAuth }),
        phone,
        purpose: 'relay',
        origin: { ...NO_ORIGIN, source: 'okta', ...(locale ? { locale } : {}) },
        pointer: undefined,
        factor: undefined,
        relayed,
        now: 0,
        shardSeed: 0,
      }).message.template;
    expect(relay({ text: undefined, code: '9876' }, 'pt-BR')).toBe('Seu código é 9876');
    expect(relay({ text: undefined, code: '9876' })).toBe('Your code is 9876');
    expect(relay({ text: 'Okta: 9876', code: undefined }, 'de')).toBe('Okta: 9876');
  });
});

describe('sender per country', () => {
  const gateway = { from: '+15005550006', senderIds: { DE: 'Contoso', FR: '38000' } };
  it("uses the country's sender in place of from, and from elsewhere", () => {
    expect(withSenderFor(gateway, '+4915123456789').from).toBe('Contoso');
    expect(withSenderFor(gateway, '+33612345678').from).toBe('38000');
    expect(withSenderFor(gateway, '+447400123456').from).toBe('+15005550006');
    expect(withSenderFor({ from: null, senderIds: {} }, '+4915123456789').from).toBeNull();
  });

  it('accepts alphanumeric senders, short codes and E.164 numbers only, keyed by country', () => {
    expect(
      senderIdProblems({ DE: 'Contoso', GB: 'My Bank 24', US: '12345', FR: '+33612345678', IT: 'A' }),
    ).toEqual([]);
    const bad = {
      DE: 'Contoso GmbH1',
      GB: '123456789012',
      FR: '12',
      IT: 'Café',
      ES: '',
      XX: 'Acme',
      de: 'Acme',
    };
    expect(
      senderIdProblems(bad)
        .map((p) => p.path)
        .sort(),
    ).toEqual(
      [
        'senderIds.DE',
        'senderIds.ES',
        'senderIds.FR',
        'senderIds.GB',
        'senderIds.IT',
        'senderIds.XX',
        'senderIds.de',
      ].sort(),
    );
    const many = Object.fromEntries(Array.from({ length: 251 }, (_, i) => [`C${i}`, 'Acme']));
    expect(senderIdProblems(many).map((p) => p.path)).toContain('senderIds');
  });
});

describe("the identity-provider hooks pass their payload's locale", () => {
  it('okta and auth0', () => {
    const request = { headers: {}, rawBody: '', url: '', params: {} } as never;
    const fromOkta = okta.relayInput(
      {
        eventId: 'e1',
        data: {
          messageProfile: {
            phoneNumber: '+447400123456',
            otpCode: '1234',
            deliveryChannel: 'SMS',
            locale: 'de-AT',
          },
        },
      },
      request,
    );
    expect(fromOkta).toMatchObject({ code: '1234', locale: 'de-AT' });
    const fromAuth0 = auth0.relayInput(
      { recipient: '+447400123456', as_text: 'Code 1234', locale: 'pt-BR' },
      request,
    );
    expect(fromAuth0).toMatchObject({ text: 'Code 1234', locale: 'pt-BR' });
  });
});
