import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeHTML, encodeHTML, encodeNonAsciiHTML } from 'entities';
import { cleanProviderCode, scrubProviderText } from '../../shared/adapters/sms/provider-text.ts';

/**
 * api.md "Wave 3: exact rules", echo forms: a reader undoes `\\uXXXX` escapes, percent-encoding and HTML
 * references, and folds the case, before looking for a value (written apart from the scrubber's decoder).
 */
function readAsReader(text: string): string {
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

/** The code's digits in order, separated by runs of at most 3 characters that are not letters or digits. */
function carriesCode(text: string, code: string): boolean {
  const pattern = code.split('').join('[^a-z0-9]{0,3}');
  return new RegExp(pattern).test(readAsReader(text));
}

const unicodeEscaped = (value: string) =>
  [...value].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const percentEncoded = (value: string) =>
  [...Buffer.from(value)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const decimalReferences = (value: string) => [...value].map((c) => `&#${c.codePointAt(0)};`).join('');
const hexReferences = (value: string) =>
  [...value].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');

const ECHOES: Record<string, (value: string) => string> = {
  plain: (value) => value,
  'upper-cased': (value) => value.toUpperCase(),
  'lower-cased': (value) => value.toLowerCase(),
  '\\u-escaped': unicodeEscaped,
  'percent-encoded': percentEncoded,
  'percent-encoded twice': (value) => percentEncoded(percentEncoded(value)),
  'HTML named references': (value) => encodeHTML(value),
  'HTML decimal references': decimalReferences,
  'HTML hex references': hexReferences,
  'HTML-escaped then \\u-escaped': (value) => unicodeEscaped(encodeNonAsciiHTML(value)),
  'upper-cased and percent-encoded': (value) => percentEncoded(value.toUpperCase()),
};

const SECRET = 'Echo-Secret&<9f8e7d>"x';

describe('scrubProviderText', () => {
  it.each(Object.entries(ECHOES))('removes a credential echoed %s', (_, echo) => {
    const text = `Authentication failed for ${echo(SECRET)} (code 20003)`;
    const scrubbed = scrubProviderText(text, [SECRET]);
    expect(readAsReader(scrubbed)).not.toContain(SECRET.toLowerCase());
    expect(scrubbed).toContain('Authentication failed');
  });

  it.each(['123,456', '1-2-3-4-5-6', '1 2 3 4 5 6', '12 / 34 / 56', '1.2.3.4.5.6', '1%2C2%2C3%2C4%2C5%2C6'])(
    'removes a code echoed as %s, keeping the prose',
    (echoed) => {
      const scrubbed = scrubProviderText(`Invalid message body: ${echoed} is your code`, []);
      expect(carriesCode(scrubbed, '123456')).toBe(false);
      expect(scrubbed).toContain('Invalid message body');
    },
  );

  it('keeps short numbers such as an HTTP status', () => {
    expect(scrubProviderText('Upstream answered 503 for 2 of 3 attempts', [])).toBe(
      'Upstream answered 503 for 2 of 3 attempts',
    );
  });

  it('property: no credential and no code survives any mix of echo forms', () => {
    const credential = fc.string({
      minLength: 3,
      maxLength: 24,
      unit: fc.constantFrom(...'aZ9-_.!&<>"\'+ %\\;#xé'),
    });
    const code = fc.stringMatching(/^\d{4,10}$/);
    const separator = fc.string({
      maxLength: 3,
      unit: fc.constantFrom(' ', ',', '-', '.', '/', '(', ')', '\n', '…', '·'),
    });
    const echo = fc.constantFrom(...Object.values(ECHOES));
    const prose = fc.string({ maxLength: 40 });
    fc.assert(
      fc.property(
        credential,
        code,
        separator,
        echo,
        echo,
        prose,
        prose,
        (secret, digits, between, echoSecret, echoCode, before, after) => {
          const spread = digits.split('').join(between);
          const text = `${before}${echoSecret(secret)} ${after}${echoCode(spread)}${before}`;
          const scrubbed = scrubProviderText(text, [secret, `Your code is ${digits}`]);
          expect(readAsReader(scrubbed)).not.toContain(secret.toLowerCase());
          expect(carriesCode(scrubbed, digits)).toBe(false);
          expect(scrubbed.length).toBeLessThanOrEqual(160);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('cleanProviderCode', () => {
  const sensitive = ['Your code is 123456', 'Echo-Secret'];

  it('keeps a provider code of its own', () => {
    expect(cleanProviderCode(21211, sensitive)).toBe('21211');
    expect(cleanProviderCode('invalid_number', sensitive)).toBe('invalid_number');
  });

  it.each(['1-2-3-4-5-6', '123456', '99123456', '12.34.56', 'ECHO-SECRET', 'x-echo-secret-y'])(
    'drops %s, which carries a value of the request',
    (code) => {
      expect(cleanProviderCode(code, sensitive)).toBeUndefined();
    },
  );
});
