import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type * as z from 'zod';

/**
 * fast-check arbitraries for the shapes real client systems send, not random noise: a random string is
 * almost never all digits, never holds a timestamp, and never reaches the success path where events are
 * written. These do, and they keep to what api.md accepts so that a flow gets past validation.
 */

// ---------------------------------------------------------------------------------------------------
// User ids (api.md: opaque, 1..128 Unicode code points, no `/`; its shape never changes an answer)

/** api.md's limit on a user id, in code points. */
export const USER_ID_MAX_CODE_POINTS = 128;

const codePoints = (value: string) => [...value].length;

/** 4..10 digits: an auto-increment primary key. */
export const integerUserId = fc.bigInt({ min: 1000n, max: 9_999_999_999n }).map(String);

/** 13 digits: a millisecond timestamp used as an id (2001-09-09 .. 2286). */
export const timestampUserId = fc.bigInt({ min: 1_000_000_000_000n, max: 9_999_999_999_999n }).map(String);

/** 19..20 digits: a Twitter/Discord snowflake, up to 2^64 - 1. */
export const snowflakeUserId = fc.bigInt({ min: 10n ** 18n, max: 2n ** 64n - 1n }).map(String);

/** Words around a run of digits: `victim-0-1765044228000`, `user_4474001234`, `order#12345678`. */
export const digitRunUserId = fc
  .tuple(
    fc.constantFrom('victim', 'user', 'u', 'acct', 'order', 'tenant', 'cust'),
    fc.constantFrom('-', '_', '#', ':', '.', ''),
    fc.bigInt({ min: 0n, max: 99n }),
    fc.bigInt({ min: 1_000_000n, max: 999_999_999_999_999n }),
  )
  .map(([word, sep, n, run]) => `${word}${sep}${n}${sep}${run}`);

/** RFC 4122 UUIDs as databases print them, lower or upper case. */
export const uuidUserId = fc
  .tuple(fc.uuid(), fc.boolean())
  .map(([uuid, upper]) => (upper ? uuid.toUpperCase() : uuid));

/** E-mail addresses, sub-addressed (`+tag`) ones included: `+` and `@` must survive the path. */
export const emailUserId = fc
  .tuple(
    fc.emailAddress({ size: 'small' }),
    fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }),
  )
  .map(([email, tag]) => (tag === undefined ? email : email.replace('@', `+${tag}@`)));

const fromCodePoints = (min: number, max: number) =>
  fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp));

/** Emoji as people type them: ZWJ families, skin tones, flags, keycaps, variation selectors. */
const EMOJI = ['😀', '👩‍👩‍👧', '👍🏽', '🇬🇧', '🇯🇵', '1️⃣', '❤️', '🧑‍💻', '🏳️‍🌈', '𝒜'];

/** Letters of other scripts: Cyrillic, CJK, Hangul, Arabic, Hebrew, Devanagari, Greek, Latin-1. */
const letter = fc.oneof(
  fromCodePoints(0x0410, 0x044f),
  fromCodePoints(0x4e00, 0x9fff),
  fromCodePoints(0xac00, 0xd7a3),
  fromCodePoints(0x0627, 0x064a),
  fromCodePoints(0x05d0, 0x05ea),
  fromCodePoints(0x0905, 0x0939),
  fromCodePoints(0x0391, 0x03c9),
  fromCodePoints(0x00c0, 0x00ff),
  fc.constantFrom(...EMOJI),
  // A base letter with one to three combining marks (U+0300..U+036F).
  fc
    .tuple(
      fc.constantFrom('a', 'e', 'o', 'n', 'и'),
      fc.array(fromCodePoints(0x0300, 0x036f), { minLength: 1, maxLength: 3 }),
    )
    .map(([base, marks]) => base + marks.join('')),
);

/** Names in any script: `Иван Петров`, `山田太郎`, `José`, `👩‍👩‍👧 family`. */
export const unicodeNameUserId = fc
  .array(fc.string({ unit: letter, minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 })
  .map((words) => words.join(' '));

/** Characters a URL path must percent-encode, and text that already looks percent-encoded. */
const PERCENT_PIECES = [
  ' ',
  '%',
  '%2F',
  '%25',
  '100%',
  '?',
  '#',
  '&',
  '=',
  '+',
  '"',
  '<',
  '>',
  '\\',
  '^',
  '`',
  '{',
  '|',
  '}',
  '[',
  ']',
  "'",
  '!',
  '$',
  '*',
  '(',
  ')',
  ',',
  ';',
  ':',
  '@',
  '~',
  '.',
  '..',
];

export const percentNeedingUserId = fc
  .array(fc.oneof(fc.constantFrom(...PERCENT_PIECES), fc.stringMatching(/^[A-Za-z0-9]{1,4}$/)), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

/** Exactly 1 or exactly 128 code points, of ASCII, digits, astral emoji or CJK. */
export const boundaryLengthUserId = fc
  .tuple(
    fc.constantFrom(1, USER_ID_MAX_CODE_POINTS),
    fc.constantFrom('a', '7', '😀', '𝒜', '山', 'é', 'Z9', 'ab😀'),
  )
  .map(([length, fill]) => [...fill.repeat(length)].slice(0, length).join(''));

/** One code point over the limit (129), of the same fills: astral characters count once, not twice. */
export const overlongUserId = fc
  .constantFrom('a', '7', '😀', '𝒜', '山', 'é', 'Z9', 'ab😀')
  .map((fill) =>
    [...fill.repeat(USER_ID_MAX_CODE_POINTS + 1)].slice(0, USER_ID_MAX_CODE_POINTS + 1).join(''),
  );

// ---------------------------------------------------------------------------------------------------
// Phone numbers

/**
 * Mobile ranges libphonenumber calls MOBILE (or FIXED_LINE_OR_MOBILE) for every subscriber number of
 * the given length, so every generated number can receive codes.
 */
const MOBILE_RANGES = [
  { country: 'GB', prefix: '+447400', digits: 6 },
  { country: 'DE', prefix: '+49151', digits: 8 },
  { country: 'IN', prefix: '+919', digits: 9 },
  { country: 'BR', prefix: '+55119', digits: 8 },
  { country: 'RU', prefix: '+79', digits: 9 },
  { country: 'CN', prefix: '+86138', digits: 8 },
  { country: 'ES', prefix: '+346', digits: 8 },
] as const;

export interface Mobile {
  country: string;
  e164: string;
}

export const mobile: fc.Arbitrary<Mobile> = fc
  .constantFrom(...MOBILE_RANGES)
  .chain(({ country, prefix, digits }) =>
    fc
      .bigInt({ min: 0n, max: 10n ** BigInt(digits) - 1n })
      .map((n) => ({ country, e164: `${prefix}${String(n).padStart(digits, '0')}` })),
  );

/** How people and systems write a number; api.md accepts E.164 and its digits without `+` only. */
export type PhoneStyle =
  'e164' | 'digits' | 'international' | 'dashes' | 'brackets' | 'national' | 'idd-00' | 'tel-uri' | 'dots';

export const ACCEPTED_PHONE_STYLES: ReadonlySet<PhoneStyle> = new Set(['e164', 'digits']);

export interface PhoneSpelling extends Mobile {
  style: PhoneStyle;
  text: string;
  /** Whether api.md accepts this spelling (and then means `e164` by it). */
  accepted: boolean;
}

export function spell(phone: Mobile, style: PhoneStyle): string {
  const parsed = parsePhoneNumberFromString(phone.e164);
  if (!parsed) throw new Error(`not a phone number: ${phone.e164}`);
  const international = parsed.formatInternational();
  switch (style) {
    case 'e164':
      return phone.e164;
    case 'digits':
      return phone.e164.slice(1);
    case 'international':
      return international;
    case 'dashes':
      return international.replaceAll(' ', '-');
    case 'dots':
      return international.replaceAll(' ', '.');
    case 'brackets':
      return `+${parsed.countryCallingCode} (${parsed.nationalNumber.slice(0, 3)}) ${parsed.nationalNumber.slice(3)}`;
    case 'national':
      return parsed.formatNational();
    case 'idd-00':
      return `00${phone.e164.slice(1)}`;
    case 'tel-uri':
      return parsed.format('RFC3966');
  }
}

/** One mobile in every spelling, accepted (weighted up, so flows happen) or not. */
export const phoneSpelling: fc.Arbitrary<PhoneSpelling> = fc
  .tuple(
    mobile,
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom<PhoneStyle>('e164', 'digits') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<PhoneStyle>(
          'international',
          'dashes',
          'brackets',
          'national',
          'idd-00',
          'tel-uri',
          'dots',
        ),
      },
    ),
  )
  .map(([phone, style]) => ({
    ...phone,
    style,
    text: spell(phone, style),
    accepted: ACCEPTED_PHONE_STYLES.has(style),
  }));

/** A phone number used as the user id (`+447400123456` or its digits). */
export const phoneUserId = phoneSpelling.filter((p) => p.accepted).map((p) => p.text);

/** Every shape above, each equally likely, and all of them valid user ids. */
export const realisticUserId: fc.Arbitrary<string> = fc
  .oneof(
    integerUserId,
    timestampUserId,
    snowflakeUserId,
    digitRunUserId,
    phoneUserId,
    emailUserId,
    uuidUserId,
    unicodeNameUserId,
    percentNeedingUserId,
    boundaryLengthUserId,
  )
  .filter(
    (id) =>
      codePoints(id) >= 1 &&
      codePoints(id) <= USER_ID_MAX_CODE_POINTS &&
      !id.includes('/') &&
      !/\p{Cc}/u.test(id) &&
      // The URL parser resolves these dot segments before the request leaves.
      id !== '.' &&
      id !== '..',
  );

/** RFC 3986 `pchar` characters a client may leave unencoded in a path segment. */
const PCHAR_RAW = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

/**
 * A path segment for a user id, encoded as a careful client does (`encodeURIComponent`) or as a lax one
 * does (only what RFC 3986 requires: `+`, `@`, `:` and friends stay raw). Both decode to the id.
 */
export function encodeUserId(userId: string, style: 'component' | 'pchar'): string {
  if (style === 'component') return encodeURIComponent(userId);
  return [...userId].map((ch) => (PCHAR_RAW.test(ch) ? ch : encodeURIComponent(ch))).join('');
}

export const pathEncoding = fc.constantFrom<'component' | 'pchar'>('component', 'pchar');

// ---------------------------------------------------------------------------------------------------
// Optional request fields

/** What a client app forwards as the end user's address: IPv4, IPv6 (any spelling), IPv4-mapped. */
export const clientIp = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV6().map((ip) => ip.toUpperCase()),
  fc.ipV4().map((ip) => `::ffff:${ip}`),
);

/** `Idempotency-Key` values clients really send: UUIDs, ULID-like and short request ids, up to 64. */
export const idempotencyKey = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
);

/** A JSON body header, as clients spell it. */
export const jsonContentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
);

type Shape<S extends z.ZodObject> = { [K in keyof S['shape'] & string]-?: fc.Arbitrary<unknown> };

/**
 * A body for a route's own zod object schema: one arbitrary per field (the type makes a field added to
 * the schema fail to compile here until it gets one), and each field the schema marks optional is
 * present or absent. Validation is the schema's: a generated body it refuses is a bug in the arbitrary.
 */
export function bodyFor<S extends z.ZodObject>(
  schema: S,
  fields: Shape<S>,
): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(schema.shape);
  const optional = keys.filter((key) => (schema.shape[key] as z.ZodType).safeParse(undefined).success);
  const required = keys.filter((key) => !optional.includes(key));
  return fc
    .record(fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: required })
    .map((body) => {
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new Error(
          `arbitrary made a body its schema refuses: ${JSON.stringify(body)}: ${parsed.error.message}`,
        );
      return body;
    });
}

/** The fields of a schema that may be left out: what `bodyFor` varies. */
export function optionalFieldsOf(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape).filter(
    (key) => (schema.shape[key] as z.ZodType).safeParse(undefined).success,
  );
}
