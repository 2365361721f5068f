import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestResponse, type TestServer } from '../support/local-server.ts';
import { PROBLEM_STATUS } from '../../shared/domain/problems.ts';

/**
 * Property-based fuzzing of every `/v1` route: malformed ids, bodies, phone numbers, codes, headers
 * and Unicode. Whatever comes in, the answer is a 2xx JSON or a 4xx problem+json (api.md), never a
 * 5xx and never a hang.
 */

type Client = Awaited<ReturnType<typeof clientFor>>;

/** FUZZ_SCALE=10 (with a longer --testTimeout) digs deeper by hand; the suite runs at 1. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const RUNS = 50;
const REQUEST_TIMEOUT_MS = 10_000;
const BODY_LIMIT_BYTES = 16 * 1024;

/** api.md's problem slugs and the status each one comes with. */
const SLUG_STATUS: Readonly<Record<string, number>> = PROBLEM_STATUS;

const LIMITS = {
  codePolicy: { resendIntervalSeconds: 0 },
  sendLimits: { perPhonePer10Minutes: 1000, perPhonePerDay: 1000, perStorePerDay: 100000 },
};

let server: TestServer;
/** The store most properties use: SMS on, generous limits. */
let client: Client;
/** Only US numbers allowed, so GB numbers are phone-not-allowed. */
let usOnly: Client;
/** SMS authentication off: sending routes answer sms-disabled. */
let disabled: Client;
/** A user with an active factor, and live challenges, so fuzzed input also reaches real records. */
const ACTIVE_USER = 'fuzz-active';
const seededChallengeIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  client = await clientFor(server, LIMITS);
  usOnly = await clientFor(server, { ...LIMITS, allowedCountries: ['US'] });
  disabled = await clientFor(server, { ...LIMITS, smsAuth: { enabled: false } });

  const phone = mobileNumber();
  const enroll = await client.call('PUT', `/v1/users/${ACTIVE_USER}/sms-factor`, { phoneNumber: phone });
  if (enroll.status !== 202) throw new Error(enroll.text);
  const activated = await client.call('POST', `/v1/challenges/${enroll.body.challenge.id}/verify`, {
    code: await lastCode(server, phone),
  });
  if (activated.status !== 200) throw new Error(activated.text);
  const authenticate = await client.call('POST', `/v1/users/${ACTIVE_USER}/sms-factor/challenges`);
  if (authenticate.status !== 201) throw new Error(authenticate.text);
  const verification = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
  if (verification.status !== 201) throw new Error(verification.text);
  seededChallengeIds.push(enroll.body.challenge.id, authenticate.body.id, verification.body.id);
});
afterAll(() => server?.stop());

// ---------------------------------------------------------------------------------------------------
// Requests and the one response check

interface Request {
  method: string;
  path: string;
  /** A string is sent as is (malformed JSON); anything else is JSON.stringify'd; undefined: no body. */
  body?: unknown;
  headers?: Record<string, string>;
}

function clip(value: string, max = 600): string {
  return value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value;
}

function show(request: Request): string {
  let body: string;
  try {
    body =
      request.body === undefined
        ? '(none)'
        : typeof request.body === 'string'
          ? JSON.stringify(request.body)
          : (JSON.stringify(request.body) ?? String(request.body));
  } catch {
    body = String(request.body);
  }
  return `${request.method} ${clip(request.path, 400)} headers=${clip(
    JSON.stringify(request.headers ?? {}),
    300,
  )} body=${clip(body, 300)}`;
}

function where(request: Request, response: TestResponse): string {
  return `${show(request)}\n  -> ${response.status} content-type=${String(
    response.headers.get('content-type'),
  )} ${clip(response.text)}`;
}

/** Sends with `as` (a client's key, or raw headers when null); fails readably instead of hanging. */
async function send(as: Client | null, request: Request): Promise<TestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms: ${show(request)}`)),
      REQUEST_TIMEOUT_MS,
    );
  });
  const call =
    as === null
      ? server.call(request.method, request.path, { body: request.body, headers: request.headers ?? {} })
      : as.call(request.method, request.path, request.body, request.headers ?? {});
  try {
    return await Promise.race([call, timeout]);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw new Error(`request failed: ${show(request)}\n  ${String(error)} ${cause ? String(cause) : ''}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** api.md: a 2xx JSON (or an empty 204), or a 4xx RFC 9457 problem whose slug and status agree. */
function expectWellFormed(response: TestResponse, request: Request): void {
  const at = where(request, response);
  expect(response.status, `5xx answer: ${at}`).toBeLessThan(500);
  if (response.status >= 200 && response.status < 300) {
    if (response.status === 204) {
      expect(response.text, `204 with a body: ${at}`).toBe('');
      return;
    }
    expect(response.headers.get('content-type') ?? '', `2xx not JSON: ${at}`).toMatch(
      /^application\/json(;|$)/,
    );
    expect(typeof response.body, `2xx body is not a JSON object: ${at}`).toBe('object');
    expect(response.body, `2xx body is null: ${at}`).not.toBeNull();
    return;
  }
  expect(response.status, `neither 2xx nor 4xx: ${at}`).toBeGreaterThanOrEqual(400);
  expect(response.headers.get('content-type'), `4xx not problem+json: ${at}`).toBe(
    'application/problem+json',
  );
  const problem = response.body as Record<string, unknown> | undefined;
  expect(typeof problem === 'object' && problem !== null, `problem is not a JSON object: ${at}`).toBe(true);
  expect(typeof problem?.type, `problem.type is not a string: ${at}`).toBe('string');
  const slug = /\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(problem?.type as string)?.[1];
  expect(slug, `problem.type does not end in /<slug>: ${at}`).toBeDefined();
  expect(SLUG_STATUS[slug ?? ''], `slug "${slug}" is not api.md's for this status: ${at}`).toBe(
    response.status,
  );
  expect(typeof problem?.title, `problem.title is not a string: ${at}`).toBe('string');
  expect(problem?.status, `problem.status differs from the HTTP status: ${at}`).toBe(response.status);
  expect(typeof problem?.detail, `problem.detail is not a string: ${at}`).toBe('string');
}

function expectSlug(response: TestResponse, request: Request, status: number, slug: string): void {
  expectWellFormed(response, request);
  const at = where(request, response);
  expect(response.status, `expected ${status} ${slug}: ${at}`).toBe(status);
  expect(response.body.type as string, `expected ${slug}: ${at}`).toMatch(new RegExp(`/${slug}$`));
}

async function check(as: Client | null, request: Request): Promise<TestResponse> {
  const response = await send(as, request);
  expectWellFormed(response, request);
  return response;
}

const assertOptions = (numRuns = RUNS): fc.Parameters<unknown> => ({
  numRuns: Math.ceil(numRuns * SCALE),
  // Shrinking a failure must still end inside the test timeout.
  interruptAfterTimeLimit: 25_000 * SCALE,
});

// ---------------------------------------------------------------------------------------------------
// Arbitraries

/** Pieces that break naive path, percent-decoding and Unicode handling. */
const NASTY_PIECES = [
  '/',
  '%',
  '%%',
  '%E0%A4%A',
  '%zz',
  '%2F',
  '%2f',
  '%00',
  '%C0%AF',
  '%ED%A0%80',
  '%FF',
  '%F0%9F%98',
  '%25',
  '%2e%2e',
  '..',
  '.',
  '#',
  '?',
  '&',
  '=',
  ';',
  '\\',
  '+',
  ' ',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\t',
  '\n',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\uffff',
  'é',
  'e\u0301',
  '😀',
  '👩‍👩‍👧',
  '🇬🇧',
  '٣',
  '３',
  '𝟘',
  'ﷺ',
  '<script>',
  "'",
  '"',
  '${x}',
  'null',
  'undefined',
  '__proto__',
  'constructor',
];

const nastyString = fc
  .array(fc.oneof(fc.constantFrom(...NASTY_PIECES), fc.string({ maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Raw text for a user id, before it goes into a URL. */
const userIdText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 100, maxLength: 300 }),
  fc.string({ unit: 'grapheme-composite', minLength: 60, maxLength: 140 }),
  nastyString,
  fc.constantFrom('a'.repeat(128), 'a'.repeat(129), '😀'.repeat(64), '😀'.repeat(65), ACTIVE_USER, ' '),
);

/** encodeURIComponent, or a percent-encoding of the UTF-16 units it refuses (lone surrogates). */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
        }
      })
      .join('');
  }
}

/** A path segment: an encoded id, or raw text built by hand (invalid percent-encoding included). */
const segment = fc.oneof(
  { weight: 3, arbitrary: userIdText.map(encodeSegment) },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const crockford = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefghjkmnpqrstvwxyz'.split('')),
  minLength: 26,
  maxLength: 26,
});

/** Challenge ids: real ones, valid-looking ones, ids at the length edge, and junk. */
const challengeIdSegment = fc.oneof(
  fc.integer({ min: 0, max: 2 }).map((i) => seededChallengeIds[i] ?? 'unseeded'),
  crockford.map((s) => `ch_${s}`),
  fc.constantFrom('ch_', 'ch_0', 'x'.repeat(64), 'x'.repeat(65), '-', '_', 'CH_ABC'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
  segment,
);

const userRoutes = [
  { method: 'GET', path: (u: string) => `/v1/users/${u}/mfa`, body: false },
  { method: 'PUT', path: (u: string) => `/v1/users/${u}/sms-factor`, body: true },
  { method: 'GET', path: (u: string) => `/v1/users/${u}/sms-factor`, body: false },
  { method: 'DELETE', path: (u: string) => `/v1/users/${u}/sms-factor`, body: true },
  { method: 'POST', path: (u: string) => `/v1/users/${u}/sms-factor/challenges`, body: true },
] as const;

const rolesQuery = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.oneof(fc.string(), fc.constantFrom('Admins', 'a', ' ', ',', ',,,')), { maxLength: 6 })
    .map((roles) => `?roles=${encodeSegment(roles.join(','))}`),
  nastyString.map((raw) => `?roles=${raw}`),
  fc.string({ minLength: 4000, maxLength: 5000 }).map((s) => `?roles=${encodeSegment(s)}`),
  fc.constant('?roles=a&roles=b'),
  fc.constant('?roles'),
);

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ maxLength: 30 }),
);

/** Valid UK mobiles without the shared counter, so counterexamples replay. */
const ukMobile = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `+4474${String(n).padStart(8, '0')}`);

const phoneText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc
    .tuple(fc.boolean(), fc.stringMatching(/^\d{0,25}$/))
    .map(([plus, digits]) => `${plus ? '+' : ''}${digits}`),
  fc.constantFrom(
    '+449090901234', // premium rate
    '+447700900123', // invalid
    '+18005551234', // toll free
    '+447079692712', // personal number
    '447412345678',
    '+12015550123',
    '+44 7412 345678',
    '+44(0)7412345678',
    '++447412345678',
    '+',
    '',
    '0',
    '+0447412345678',
    '٣٣٣٣٣٣٣٣٣٣',
    '+４４７４１２３４５６７８',
    '+447412345678\n',
    ' +447412345678',
    'tel:+447412345678',
    '+1234567890123456789',
    'abcdefghij',
  ),
  ukMobile,
  nastyString,
);

const phoneValue = fc.oneof({ weight: 4, arbitrary: phoneText }, { weight: 1, arbitrary: wrongType });

const codeValue = fc.oneof(
  fc.string(),
  fc.stringMatching(/^\d{0,30}$/),
  fc.constantFrom(
    '٣',
    '٣٣٣٣٣٣',
    '３３３３３３',
    '𝟘𝟘𝟘𝟘𝟘𝟘',
    '000000',
    ' 123456',
    '123456 ',
    '-1',
    '1e6',
    '0x10',
  ),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  wrongType,
);

/** Printable ASCII and Latin-1: what an HTTP header value can carry. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
    ),
    maxLength,
  });

const idempotencyKey = fc.option(
  fc.oneof(headerText(100), fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), fc.constant('x'.repeat(64))),
  { nil: undefined },
);

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/problem+json',
    '',
    'garbage/;;;',
  ),
  { nil: undefined },
);

/** A JSON.stringify that never throws (BigInt, cycles) and never answers undefined. */
function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Objects for the body-taking routes: right keys with wrong values, plus unknown keys. */
const shapedBody = fc
  .tuple(
    fc.record(
      {
        phoneNumber: phoneValue,
        approvedChallengeId: fc.oneof(challengeIdSegment, wrongType),
        code: codeValue,
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'toString', '')),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    ),
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

/** Bodies as sent: strings go out verbatim, so malformed JSON is included. */
const anyBody = fc.oneof(
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).map(stringify) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: shapedBody.map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '{',
      '{"phoneNumber":',
      '{"code":"123456"',
      '[]',
      'null',
      'true',
      '0',
      '"+447412345678"',
      '\ufeff{}',
      '{"code":"\\ud800"}',
      '{"phoneNumber":"\\ud83d"}',
      '{"__proto__":{"code":"1"}}',
      '{"code":"1","code":"2"}',
      '{}',
      'phoneNumber=%2B447412345678',
      // Deeply nested, still under the size limit.
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"code":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

// ---------------------------------------------------------------------------------------------------
// Properties

describe('/v1 fuzzing: never a 5xx, always JSON or problem+json', () => {
  it('user routes with malformed, Unicode and oversized ids, roles and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...userRoutes),
        segment,
        rolesQuery,
        anyBody,
        contentType,
        async (route, id, query, body, type) => {
          const request: Request = {
            method: route.method,
            path: route.path(id) + (route.method === 'GET' ? query : ''),
            body: route.body ? body : undefined,
            headers: type === undefined ? {} : { 'content-type': type },
          };
          await check(client, request);
        },
      ),
      assertOptions(),
    );
  });

  it('a valid user id (1..128 chars, no /) round-trips through GET /mfa', async () => {
    // Control characters are refused by the implementation; api.md says nothing about them.
    const valid = fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        nastyString,
      )
      .filter(
        (u) =>
          u.length >= 1 &&
          u.length <= 128 &&
          !u.includes('/') &&
          !/\p{Cc}/u.test(u) &&
          u !== '.' &&
          u !== '..', // the URL parser resolves dot segments before the request leaves
      );
    await fc.assert(
      fc.asyncProperty(valid, async (userId) => {
        const request: Request = { method: 'GET', path: `/v1/users/${encodeSegment(userId)}/mfa` };
        const response = await check(client, request);
        expect(response.status, where(request, response)).toBe(200);
        expect(response.body.userId, where(request, response)).toBe(userId);
      }),
      assertOptions(),
    );
  });

  it('phone numbers, approved challenge ids and Idempotency-Keys on the sending routes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('enroll', 'verifications'),
        fc.constantFrom('main', 'usOnly', 'disabled'),
        // Plain user ids: the id fuzzing is the first property's; here the body must reach validation.
        fc.stringMatching(/^[a-z]{1,8}$/),
        phoneValue,
        fc.option(fc.oneof(challengeIdSegment, wrongType), { nil: undefined }),
        idempotencyKey,
        async (route, store, user, phoneNumber, approvedChallengeId, key) => {
          const as = store === 'main' ? client : store === 'usOnly' ? usOnly : disabled;
          const body =
            route === 'enroll'
              ? { phoneNumber, ...(approvedChallengeId === undefined ? {} : { approvedChallengeId }) }
              : { phoneNumber };
          const request: Request = {
            method: route === 'enroll' ? 'PUT' : 'POST',
            path: route === 'enroll' ? `/v1/users/${user}/sms-factor` : '/v1/verifications',
            body,
            headers: key === undefined ? {} : { 'idempotency-key': key },
          };
          const response = await check(as, request);
          // api.md: E.164 or international digits without `+`, spaces or symbols; anything else is a 400.
          if (typeof phoneNumber !== 'string' || !/^\+?[1-9]\d{6,14}$/.test(phoneNumber)) {
            expect(
              response.status,
              `a malformed phone number was not refused: ${where(request, response)}`,
            ).toBe(400);
          }
          if (key !== undefined && key.trim().length > 64) {
            expect(
              response.status,
              `an over-long Idempotency-Key was accepted: ${where(request, response)}`,
            ).toBe(400);
          }
        },
      ),
      assertOptions(),
    );
  });

  it('known unreachable numbers are phone-not-allowed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('+449090901234', '449090901234', '+447700900123', '+18005551234', '18005551234'),
        fc.constantFrom('enroll', 'verifications'),
        fc.stringMatching(/^[a-z]{1,8}$/),
        async (phoneNumber, route, user) => {
          const request: Request = {
            method: route === 'enroll' ? 'PUT' : 'POST',
            path: route === 'enroll' ? `/v1/users/pna-${user}/sms-factor` : '/v1/verifications',
            body: { phoneNumber },
          };
          expectSlug(await send(client, request), request, 422, 'phone-not-allowed');
        },
      ),
      assertOptions(20),
    );
  });

  it('challenge ids and codes on POST /v1/challenges/{challengeId}/verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        challengeIdSegment,
        fc.oneof(
          { weight: 4, arbitrary: codeValue.map((code) => ({ code }) as unknown) },
          { weight: 1, arbitrary: anyBody },
          { weight: 1, arbitrary: shapedBody },
        ),
        async (challengeId, body) => {
          const request: Request = { method: 'POST', path: `/v1/challenges/${challengeId}/verify`, body };
          const response = await check(client, request);
          const code = (body as { code?: unknown } | undefined)?.code;
          const onlyCode =
            typeof body === 'object' && body !== null && Object.keys(body).length === 1 && 'code' in body;
          // Only when the id routes: an unroutable or undecodable path is a 404 before any validation.
          const routes = /^[A-Za-z0-9_-]+$/.test(challengeId);
          if (routes && onlyCode && (typeof code !== 'string' || !/^\d{1,16}$/.test(code))) {
            // A code that is not digits (Unicode digits included) is never judged as a code.
            expect(response.status, `a malformed code was not refused: ${where(request, response)}`).toBe(
              400,
            );
          }
        },
      ),
      assertOptions(),
    );
  });

  it('wrong codes on a live challenge are invalid-code, then too-many-attempts', async () => {
    const phone = mobileNumber();
    const started = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(started.status, started.text).toBe(201);
    const right = await lastCode(server, phone);
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^\d{1,16}$/).filter((code) => code !== right),
        async (code) => {
          const request: Request = {
            method: 'POST',
            path: `/v1/challenges/${started.body.id}/verify`,
            body: { code },
          };
          const response = await check(client, request);
          expect([422, 429], where(request, response)).toContain(response.status);
          expect(response.body.type as string, where(request, response)).toMatch(
            /\/(invalid-code|too-many-attempts)$/,
          );
        },
      ),
      assertOptions(20),
    );
  });

  it('bodies over 16 KiB are payload-too-large on every body route; 16 KiB exactly is not', async () => {
    const bodyRoutes = [
      { method: 'PUT', path: '/v1/users/big/sms-factor' },
      { method: 'DELETE', path: '/v1/users/big/sms-factor' },
      { method: 'POST', path: '/v1/users/big/sms-factor/challenges' },
      { method: 'POST', path: '/v1/verifications' },
      { method: 'POST', path: `/v1/challenges/ch_${'0'.repeat(26)}/verify` },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyRoutes),
        fc.oneof(
          fc.integer({ min: BODY_LIMIT_BYTES + 1, max: 4 * BODY_LIMIT_BYTES }),
          fc.constantFrom(BODY_LIMIT_BYTES, BODY_LIMIT_BYTES + 1, 1024 * 1024 + 1),
        ),
        fc.constantFrom('a', 'é', '😀', '{'),
        fc.boolean(),
        async (route, bytes, fill, asJson) => {
          // `bytes` of UTF-8 exactly (padding with ASCII), as a JSON object or as raw text.
          const unit = Buffer.byteLength(fill);
          const wrap = asJson ? 'phoneNumber' : '';
          const overhead = asJson ? Buffer.byteLength(JSON.stringify({ [wrap]: '' })) : 0;
          const room = bytes - overhead;
          const text = fill.repeat(Math.floor(room / unit)) + 'a'.repeat(room % unit);
          const body = asJson ? JSON.stringify({ [wrap]: text }) : text;
          expect(Buffer.byteLength(body)).toBe(bytes);
          const request: Request = { method: route.method, path: route.path, body };
          const response = await send(client, request);
          if (bytes > BODY_LIMIT_BYTES) expectSlug(response, request, 413, 'payload-too-large');
          else {
            expectWellFormed(response, request);
            expect(
              response.status,
              `a 16 KiB body was refused as too large: ${where(request, response)}`,
            ).not.toBe(413);
          }
        },
      ),
      assertOptions(25),
    );
  });

  it('a missing or garbage Authorization header is 401 problem+json on every route', async () => {
    const routes = [
      ...userRoutes.map((r) => ({ method: r.method, path: r.path(ACTIVE_USER), body: r.body })),
      { method: 'POST', path: '/v1/verifications', body: true },
      { method: 'POST', path: `/v1/challenges/${'ch_'.padEnd(29, '0')}/verify`, body: true },
    ];
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer null', 'Bearer undefined'),
      headerText(80),
      headerText(80).map((s) => `Bearer ${s}`),
      fc.stringMatching(/^ak_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/).map((s) => `Bearer ${s}`),
      fc.constantFrom('admin', 'truncated', 'appended', 'other-secret', 'two-keys').map((how) => {
        if (how === 'admin') return `Bearer ${server.adminToken}`;
        if (how === 'truncated') return `Bearer ${client.key.slice(0, -1)}`;
        if (how === 'appended') return `Bearer ${client.key}x`;
        if (how === 'two-keys') return `Bearer ${client.key} ${client.key}`;
        const [id] = client.key.split('.');
        return `Bearer ${id}.${'A'.repeat(43)}`;
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        authorization,
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        async (route, auth, body) => {
          const request: Request = {
            method: route.method,
            path: route.path,
            body: route.body ? body : undefined,
            headers: auth === undefined ? {} : { authorization: auth },
          };
          expectSlug(await send(null, request), request, 401, 'unauthorized');
        },
      ),
      assertOptions(),
    );
  });

  it('raw bytes (invalid UTF-8 included) as bodies', async () => {
    const bodyRoutes = [
      { method: 'PUT', path: '/v1/users/bytes/sms-factor' },
      { method: 'POST', path: '/v1/verifications' },
      { method: 'POST', path: `/v1/challenges/${'ch_'.padEnd(29, '0')}/verify` },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyRoutes),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          // Valid JSON around bytes that are not UTF-8.
          fc
            .uint8Array({ minLength: 1, maxLength: 8 })
            .map((bytes) =>
              Buffer.concat([Buffer.from('{"phoneNumber":"'), Buffer.from(bytes), Buffer.from('"}')]),
            ),
          fc.constantFrom(
            Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
            Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
            Buffer.from('{"code":"\xc0\xaf"}', 'latin1'),
          ),
        ),
        async (route, bytes) => {
          const request: Request = {
            method: route.method,
            path: route.path,
            body: `(bytes) ${Buffer.from(bytes).toString('hex')}`,
          };
          let timer: NodeJS.Timeout | undefined;
          const response = await Promise.race([
            fetch(`${server.url}${route.path}`, {
              method: route.method,
              headers: { authorization: `Bearer ${client.key}`, 'content-type': 'application/json' },
              body: bytes,
            }),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer: ${show(request)}`)), REQUEST_TIMEOUT_MS);
            }),
          ]).finally(() => clearTimeout(timer));
          const text = await response.text();
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          expectWellFormed({ status: response.status, headers: response.headers, body, text }, request);
        },
      ),
      assertOptions(),
    );
  });

  it('unknown methods and paths under /v1 are problems too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.oneof(
          fc.constantFrom(
            '/v1',
            '/v1/',
            '/v1/users',
            '/v1/users/',
            '/v1/users//mfa',
            '/v1/users/a/mfa/',
            '/v1/users/a/sms-factor/challenges/x',
            '/v1/challenges',
            '/v1/challenges//verify',
            '/v1/verifications/x',
            '/V1/verifications',
            '/v1/users/a/b/mfa',
            '/v1/users/%2F/mfa',
          ),
          fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/v1/${parts.join('/')}`),
        ),
        anyBody,
        async (method, path, body) => {
          await check(client, { method, path, body: method === 'GET' ? undefined : body });
        },
      ),
      assertOptions(),
    );
  });

  it('concurrent identical sends (resends, shared Idempotency-Keys) stay well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('enroll', 'verifications', 'authenticate'),
        fc.integer({ min: 2, max: 6 }),
        fc.option(
          headerText(64).filter((k) => k.trim().length > 0),
          { nil: undefined },
        ),
        ukMobile,
        fc.stringMatching(/^[a-z]{1,8}$/),
        async (route, copies, key, phoneNumber, user) => {
          const request: Request =
            route === 'authenticate'
              ? { method: 'POST', path: `/v1/users/${ACTIVE_USER}/sms-factor/challenges` }
              : {
                  method: route === 'enroll' ? 'PUT' : 'POST',
                  path: route === 'enroll' ? `/v1/users/race-${user}/sms-factor` : '/v1/verifications',
                  body: { phoneNumber },
                };
          if (key !== undefined) request.headers = { 'idempotency-key': key };
          const responses = await Promise.all(Array.from({ length: copies }, () => send(client, request)));
          for (const response of responses) expectWellFormed(response, request);
          // Every success is about the same challenge: a resend or a replay, never a second one.
          const ids = new Set(
            responses
              .filter((r) => r.status < 300)
              .map((r) => (r.body.challenge?.id ?? r.body.id) as string | undefined),
          );
          expect(
            ids.size,
            `several challenges from concurrent sends: ${responses.map((r) => where(request, r)).join('\n')}`,
          ).toBeLessThanOrEqual(1);
        },
      ),
      assertOptions(20),
    );
  });

  it('a repeated Idempotency-Key returns the first 2xx answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('enroll', 'verifications'),
        headerText(64).filter((k) => k.trim().length > 0),
        ukMobile,
        fc.stringMatching(/^[a-z]{1,8}$/),
        async (route, key, phoneNumber, user) => {
          const request: Request = {
            method: route === 'enroll' ? 'PUT' : 'POST',
            path: route === 'enroll' ? `/v1/users/idem-${user}/sms-factor` : '/v1/verifications',
            body: { phoneNumber },
            headers: { 'idempotency-key': key },
          };
          const first = await check(client, request);
          const second = await check(client, request);
          if (first.status < 300) {
            expect(second.status, `replay: ${where(request, second)}`).toBe(first.status);
            expect(second.body, `replay: ${where(request, second)}`).toEqual(first.body);
          }
        },
      ),
      assertOptions(30),
    );
  });
});
