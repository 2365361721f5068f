import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, lastCode, mobileNumber, outbox } from '../support/client.ts';
import { startTestServer, type TestResponse, type TestServer } from '../support/local-server.ts';
import { PROBLEM_STATUS } from '../../shared/domain/problems.ts';
import { authenticateBody, enrollBody, verifyPhoneBody } from '../../shared/api/challenge-schemas.ts';
import * as operations from '../../shared/operations/client.ts';
import type { Operation } from '../../shared/operations/operation.ts';
import {
  bodyFor,
  boundaryLengthUserId,
  clientIp,
  encodeUserId,
  idempotencyKey as realIdempotencyKey,
  jsonContentType,
  mobile,
  overlongUserId,
  pathEncoding,
  phoneSpelling,
  realisticUserId,
  spell,
  type Mobile,
  type PhoneSpelling,
} from '../support/arbitraries.ts';
import { undocumented } from '../support/documented-answer.ts';
import { fuzzParameters } from '../support/fuzz-settings.ts';
import { leaksIn, type Secret } from '../support/leak-scan.ts';
import { captureLogs } from '../support/log-capture.ts';

/**
 * Property-based fuzzing of every `/v1` route: malformed ids, bodies, phone numbers, codes, headers
 * and Unicode. Whatever comes in, the answer is a 2xx JSON or a 4xx problem+json (api.md), never a
 * 5xx and never a hang.
 */

type Client = Awaited<ReturnType<typeof clientFor>>;

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

/** The answer is one that route's operation object lists: its success status or one of its problems. */
function expectDocumented(operation: Operation, request: Request, response: TestResponse): void {
  const problem = undocumented(operation, response);
  expect(problem, `${problem}: ${where(request, response)}`).toBeUndefined();
}

async function check(as: Client | null, request: Request): Promise<TestResponse> {
  const response = await send(as, request);
  expectWellFormed(response, request);
  return response;
}

// Shrinking a failure must still end inside the test timeout.
const assertOptions = (numRuns = RUNS): fc.Parameters<unknown> => fuzzParameters(numRuns, 25_000);

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
          expectDocumented(
            route === 'enroll' ? operations.enrollFactor : operations.verifyPhone,
            request,
            response,
          );
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
          if (routes) expectDocumented(operations.verifyCode, request, response);
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
          const operation =
            route === 'enroll'
              ? operations.enrollFactor
              : route === 'verifications'
                ? operations.verifyPhone
                : operations.authenticate;
          for (const response of responses) {
            expectWellFormed(response, request);
            expectDocumented(operation, request, response);
          }
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
          const operation = route === 'enroll' ? operations.enrollFactor : operations.verifyPhone;
          expectDocumented(operation, request, first);
          expectDocumented(operation, request, second);
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

// ---------------------------------------------------------------------------------------------------
// Whole flows with the ids, numbers and optional fields real clients send

/**
 * Each run gets its own store, so a shrunk counterexample replays on a clean slate (same user id, same
 * number). Limits leave room for a whole flow; the fraud guard is off because its prefix counter would
 * refuse neighbouring random numbers, which the limit property below is not about.
 */
const FLOW_STORE = {
  codePolicy: { resendIntervalSeconds: 0 },
  sendLimits: { perPhonePer10Minutes: 10, perPhonePerDay: 20, perStorePerDay: 1000 },
  fraudGuard: { mode: 'off' },
};

/** The optional fields of each send, from the route's own schema; the flow supplies phone and approval. */
/** The flow stores make no calls: `voice` would be `409 channel-unavailable` (test/http/voice-send.test.ts). */
const smsChannel = fc.option(fc.constant('sms' as const), { nil: undefined });
const sendExtras = {
  clientIp: fc.option(clientIp, { nil: undefined }),
  locale: fc.option(fc.constantFrom('de', 'pt-BR', 'zh-Hant-TW', 'FR'), { nil: undefined }),
  channel: smsChannel,
};
const enrollExtras = bodyFor(enrollBody.omit({ phoneNumber: true, approvedChallengeId: true }), sendExtras);
const verifyPhoneExtras = bodyFor(verifyPhoneBody.omit({ phoneNumber: true }), sendExtras);
/** An all-optional body may also be left out entirely (api.md "Wave 3: exact rules"). */
const authenticateExtras = fc.oneof(bodyFor(authenticateBody, sendExtras), fc.constant(undefined));

interface Answered {
  operation: Operation;
  request: Request;
  response: TestResponse;
}

/** Everything one run sent and got, so invariants can be checked over the whole run. */
class Journey {
  readonly answered: Answered[] = [];
  readonly codes: string[] = [];
  readonly phones = new Set<string>();

  constructor(
    readonly as: Client,
    readonly userId: string,
    readonly userPath: string,
    readonly contentType: string,
  ) {}

  path(suffix: string): string {
    return `/v1/users/${this.userPath}${suffix}`;
  }

  /** Sends and checks the one thing every answer must be: documented for its route, never a 5xx. */
  async call(operation: Operation, request: Request): Promise<TestResponse> {
    if (request.body !== undefined) {
      request.headers = { 'content-type': this.contentType, ...request.headers };
    }
    const response = await send(this.as, request);
    this.answered.push({ operation, request, response });
    expectDocumented(operation, request, response);
    return response;
  }

  /** A send that must succeed with exactly one new message to `e164`, whose code it returns. */
  async sendCode(
    operation: Operation,
    request: Request,
    e164: string,
  ): Promise<TestResponse & { code: string }> {
    this.phones.add(e164);
    const before = (await outbox(server)).length;
    const response = await this.call(operation, request);
    expect(response.status, where(request, response)).toBe(operation.status);
    const messages = (await outbox(server)).slice(before).filter((m) => m.to === e164);
    expect(messages, `one message per answered send: ${where(request, response)}`).toHaveLength(1);
    const code = await lastCode(server, e164);
    this.codes.push(code);
    if (request.headers?.['idempotency-key'] !== undefined) {
      // api.md: a repeat with the same key returns the first answer and sends nothing.
      const sent = (await outbox(server)).length;
      const replay = await this.call(operation, { ...request });
      expect(
        { status: replay.status, body: replay.body },
        `a keyed replay: ${where(request, replay)}`,
      ).toEqual({
        status: response.status,
        body: response.body,
      });
      const after = (await outbox(server)).slice(sent).filter((m) => m.to === e164);
      expect(after, `a keyed replay sent a message: ${where(request, replay)}`).toEqual([]);
    }
    return Object.assign(response, { code });
  }

  /**
   * The right code, sent by `copies` verifications at once: exactly one is approved, whatever the
   * race; afterwards the same right code is refused (one approval per challenge).
   */
  async approveOnce(
    challengeId: string,
    code: string,
    copies: number,
    purpose: string,
  ): Promise<TestResponse> {
    const request: Request = {
      method: 'POST',
      path: `/v1/challenges/${challengeId}/verify`,
      body: { code },
    };
    const responses = await Promise.all(
      Array.from({ length: copies }, () => this.call(operations.verifyCode, { ...request })),
    );
    const approvals = responses.filter((r) => r.status === 200);
    expect(
      approvals.length,
      `one approval per challenge:\n${responses.map((r) => where(request, r)).join('\n')}`,
    ).toBe(1);
    const [approval] = approvals as [TestResponse];
    expect(approval.body, where(request, approval)).toMatchObject({ status: 'approved', purpose });
    const replay = await this.call(operations.verifyCode, { ...request });
    expect(replay.status, `the right code replayed after its approval: ${where(request, replay)}`).toBe(409);
    expect(replay.body.type as string, where(request, replay)).toMatch(/\/challenge-used$/);
    return approval;
  }
}

/** Sends within one run that share a generated key still get keys of their own. */
const keyFor = (key: string | undefined, step: string): Record<string, string> =>
  key === undefined ? {} : { 'idempotency-key': `${key.slice(0, 50)}.${step}` };

let logs: ReturnType<typeof captureLogs> | undefined;

/** Secrets of a run: its codes, its numbers, the credentials, and (in logs only) the user id. */
function secretsOf(journey: Journey): Secret[] {
  const keySecret = journey.as.key.split('.')[1];
  return [
    ...journey.codes.map((code, i) => ({
      label: `code #${i + 1} (${code})`,
      value: code,
      kind: 'code' as const,
    })),
    { label: 'api key secret', value: keySecret ?? journey.as.key, kind: 'credential' },
    { label: 'admin token', value: server.adminToken, kind: 'credential' },
    ...[...journey.phones].map((e164) => ({ label: `phone ${e164}`, value: e164, kind: 'phone' as const })),
  ];
}

/**
 * api.md: no answer carries a code or a credential, and a full number only where the contract puts it
 * (the verify-phone approval's `phoneNumber`); no log line carries any of them, nor the user id (logs
 * carry `userRef`). User ids shorter than 8 code points are not looked for: they occur by chance.
 */
function expectNoLeaks(journey: Journey, logsFrom: number): void {
  const secrets = secretsOf(journey);
  const echoedUserId = JSON.stringify(journey.userId).slice(1, -1);
  for (const { request, response } of journey.answered) {
    const allowsPhone = response.status === 200 && response.body?.purpose === 'verify-phone';
    const found = leaksIn(
      response.text,
      secrets.filter((s) => !(allowsPhone && s.kind === 'phone')),
      [echoedUserId],
    );
    expect(found, `secrets in an answer: ${where(request, response)}`).toEqual([]);
  }
  const lines = (logs?.output.slice(logsFrom).join('') ?? '')
    .split('\n')
    // The console gateway prints each message, code included, by design: it is the local phone.
    .filter((line) => line.trim() !== '' && !line.startsWith('[outbox]'));
  const inLogs = [
    ...secrets,
    ...([...journey.userId].length >= 8
      ? [
          {
            label: `user id ${JSON.stringify(journey.userId)}`,
            value: journey.userId,
            kind: 'user-id' as const,
          },
        ]
      : []),
  ];
  for (const line of lines) {
    expect(leaksIn(line, inLogs), `secrets in a log line: ${clip(line, 1500)}`).toEqual([]);
  }
}

describe('/v1 flows with real-world ids, numbers and optional fields', () => {
  beforeAll(() => {
    logs = captureLogs();
  });
  afterAll(() => {
    logs?.stop();
    logs = undefined;
  });

  it('enroll -> verify -> authenticate -> verify (replace, delete, re-enroll) answers only what api.md documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        realisticUserId,
        pathEncoding,
        phoneSpelling,
        mobile,
        fc.record({
          signUp: fc.boolean(),
          replace: fc.boolean(),
          reenroll: fc.boolean(),
          copies: fc.integer({ min: 1, max: 3 }),
          contentType: jsonContentType,
          key: fc.option(realIdempotencyKey, { nil: undefined }),
        }),
        fc.record({ enroll: enrollExtras, verifyPhone: verifyPhoneExtras, authenticate: authenticateExtras }),
        async (userId, encoding, phone, nextPhone, how, extras) => {
          const logsFrom = logs?.output.length ?? 0;
          const as = await clientFor(server, FLOW_STORE);
          const journey = new Journey(as, userId, encodeUserId(userId, encoding), how.contentType);
          try {
            await runFlow(journey, phone, nextPhone, how, extras);
          } finally {
            // Also on a failed run: a leak is worth reporting next to whatever else went wrong.
            expectNoLeaks(journey, logsFrom);
          }
        },
      ),
      fuzzParameters(10, 12_000),
    );
  });

  it('a user id of 128 code points passes validation on every user route, and one of 129 is a 400', async () => {
    const routes = {
      mfa: [operations.mfaStatus, 'GET', '/mfa', undefined],
      'get factor': [operations.getFactor, 'GET', '/sms-factor', undefined],
      enroll: [operations.enrollFactor, 'PUT', '/sms-factor', {}],
      'delete factor': [operations.deleteFactor, 'DELETE', '/sms-factor', undefined],
      authenticate: [operations.authenticate, 'POST', '/sms-factor/challenges', {}],
    } as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(routes) as (keyof typeof routes)[])),
        fc.oneof(
          overlongUserId.map((id) => ({ id, over: true })),
          boundaryLengthUserId.map((id) => ({ id, over: false })),
        ),
        pathEncoding,
        async (route, { id, over }, encoding) => {
          const [operation, method, suffix, body] = routes[route];
          const journey = new Journey(client, id, encodeUserId(id, encoding), 'application/json');
          const request: Request = { method, path: journey.path(suffix), body };
          const response = await journey.call(operation, request);
          const userIdErrors = ((response.body?.errors ?? []) as { path: string }[]).filter((e) =>
            /(^|\.)userId$/.test(e.path),
          );
          if (over) {
            expectSlug(response, request, 400, 'validation-failed');
            expect(
              userIdErrors,
              `129 code points, refused for another reason: ${where(request, response)}`,
            ).not.toEqual([]);
          } else {
            expect(userIdErrors, `128 code points refused: ${where(request, response)}`).toEqual([]);
          }
        },
      ),
      fuzzParameters(20, 5_000),
    );
  });

  it('providers get at most perPhonePer10Minutes messages per phone, one per answered send', async () => {
    const step = fc.record({
      route: fc.constantFrom('enroll', 'verify-phone', 'authenticate', 'verify'),
      user: fc.integer({ min: 0, max: 1 }),
      style: fc.constantFrom('e164' as const, 'digits' as const),
      copies: fc.integer({ min: 1, max: 3 }),
      clientIp: fc.option(clientIp, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        mobile,
        fc.tuple(realisticUserId, realisticUserId),
        fc.array(step, { minLength: 1, maxLength: 6 }),
        async (limit, phone, users, steps) => {
          const logsFrom = logs?.output.length ?? 0;
          const as = await clientFor(server, {
            ...FLOW_STORE,
            sendLimits: { perPhonePer10Minutes: limit, perPhonePerDay: 100, perStorePerDay: 1000 },
          });
          const journey = new Journey(as, users[0], encodeUserId(users[0], 'component'), 'application/json');
          journey.phones.add(phone.e164);
          const before = (await outbox(server)).length;
          let answeredSends = 0;
          let lastChallenge: string | undefined;
          try {
            for (const { route, user, style, copies, clientIp: ip } of steps) {
              const userPath = encodeUserId(users[user] ?? users[0], 'component');
              const extra = ip === undefined ? {} : { clientIp: ip };
              if (route === 'verify') {
                if (lastChallenge === undefined) continue;
                const code = await lastCode(server, phone.e164);
                journey.codes.push(code);
                await journey.call(operations.verifyCode, {
                  method: 'POST',
                  path: `/v1/challenges/${lastChallenge}/verify`,
                  body: { code },
                });
                continue;
              }
              const [operation, request]: [Operation, Request] =
                route === 'enroll'
                  ? [
                      operations.enrollFactor,
                      {
                        method: 'PUT',
                        path: `/v1/users/${userPath}/sms-factor`,
                        body: { phoneNumber: spell(phone, style), ...extra },
                      },
                    ]
                  : route === 'verify-phone'
                    ? [
                        operations.verifyPhone,
                        {
                          method: 'POST',
                          path: '/v1/verifications',
                          body: { phoneNumber: spell(phone, style), ...extra },
                        },
                      ]
                    : [
                        operations.authenticate,
                        { method: 'POST', path: `/v1/users/${userPath}/sms-factor/challenges`, body: extra },
                      ];
              // Concurrent copies try to slip past the count between its read and its write.
              const responses = await Promise.all(
                Array.from({ length: copies }, () => journey.call(operation, { ...request })),
              );
              for (const response of responses) {
                if (response.status === operation.status) {
                  answeredSends++;
                  lastChallenge = (response.body.challenge?.id ?? response.body.id) as string;
                }
              }
            }
            const messages = (await outbox(server)).slice(before).filter((m) => m.to === phone.e164);
            // Every code sent is a secret of the run, read back or not.
            journey.codes.push(...messages.flatMap((m) => /\d{4,10}/.exec(m.body) ?? []));
            const story = journey.answered.map((a) => where(a.request, a.response)).join('\n');
            expect(messages.length, `over the limit of ${limit}:\n${story}`).toBeLessThanOrEqual(limit);
            expect(messages.length, `messages vs. answered sends:\n${story}`).toBe(answeredSends);
          } finally {
            expectNoLeaks(journey, logsFrom);
          }
        },
      ),
      fuzzParameters(8, 8_000),
    );
  });
});

interface FlowChoices {
  signUp: boolean;
  replace: boolean;
  reenroll: boolean;
  copies: number;
  key: string | undefined;
}

interface FlowExtras {
  enroll: Record<string, unknown>;
  verifyPhone: Record<string, unknown>;
  authenticate: Record<string, unknown> | undefined;
}

/** A sign-up, an enrollment, a sign-in, and (as chosen) a number change, a delete and a re-enrollment. */
async function runFlow(
  journey: Journey,
  phone: PhoneSpelling,
  nextPhone: Mobile,
  how: FlowChoices,
  extras: FlowExtras,
): Promise<void> {
  const { userId } = journey;
  const e164 = phone.e164;
  if (!phone.accepted) {
    // Only E.164 and its digits are numbers (api.md); every other spelling is refused before anything.
    const request: Request = {
      method: 'PUT',
      path: journey.path('/sms-factor'),
      body: { phoneNumber: phone.text, ...extras.enroll },
    };
    const refused = await journey.call(operations.enrollFactor, request);
    expect(refused.status, `a ${phone.style} spelling was not refused: ${where(request, refused)}`).toBe(400);
  }
  const spelled = phone.accepted ? phone.text : e164;

  if (how.signUp) {
    const started = await journey.sendCode(
      operations.verifyPhone,
      {
        method: 'POST',
        path: '/v1/verifications',
        body: { phoneNumber: spelled, ...extras.verifyPhone },
        headers: keyFor(how.key, 'signup'),
      },
      e164,
    );
    const approval = await journey.approveOnce(started.body.id, started.code, how.copies, 'verify-phone');
    expect(approval.body.phoneNumber, 'the verified number, in E.164').toBe(e164);
  }

  const enrolled = await journey.sendCode(
    operations.enrollFactor,
    {
      method: 'PUT',
      path: journey.path('/sms-factor'),
      body: { phoneNumber: spelled, ...extras.enroll },
      headers: keyFor(how.key, 'enroll'),
    },
    e164,
  );
  expect(enrolled.body.status).toBe('pending');
  const activation = await journey.approveOnce(
    enrolled.body.challenge.id,
    enrolled.code,
    how.copies,
    'enroll',
  );
  expect(activation.body.userId, 'the approval names the user as given').toBe(userId);

  const status = await journey.call(operations.mfaStatus, { method: 'GET', path: journey.path('/mfa') });
  expect(status.status).toBe(200);
  expect(status.body.userId, 'GET /mfa echoes the user id decoded exactly once').toBe(userId);
  expect(status.body.sms.status).toBe('active');

  const signIn = await journey.sendCode(
    operations.authenticate,
    {
      method: 'POST',
      path: journey.path('/sms-factor/challenges'),
      body: extras.authenticate,
      headers: keyFor(how.key, 'authenticate'),
    },
    e164,
  );
  const approved = await journey.approveOnce(signIn.body.id, signIn.code, how.copies, 'authenticate');
  expect(approved.body.userId).toBe(userId);

  let current = e164;
  if (how.replace && nextPhone.e164 !== e164) {
    const replacing = await journey.sendCode(
      operations.enrollFactor,
      {
        method: 'PUT',
        path: journey.path('/sms-factor'),
        body: { phoneNumber: nextPhone.e164, approvedChallengeId: signIn.body.id, ...extras.enroll },
        headers: keyFor(how.key, 'replace'),
      },
      nextPhone.e164,
    );
    await journey.approveOnce(replacing.body.challenge.id, replacing.code, how.copies, 'enroll');
    current = nextPhone.e164;
  }

  const factor = await journey.call(operations.getFactor, {
    method: 'GET',
    path: journey.path('/sms-factor'),
  });
  expect(factor.status).toBe(200);
  expect(factor.body.status).toBe('active');
  // api.md: the country code and the last 2-4 digits, of the number now active.
  const masked = /^\+\d{1,3}\*+(\d{2,4})$/.exec(String(factor.body.maskedPhone));
  expect(masked, `maskedPhone: ${factor.text}`).not.toBeNull();
  expect(current.endsWith(masked?.[1] ?? '-'), `${factor.text} masks ${current}`).toBe(true);

  if (how.reenroll) {
    const removed = await journey.call(operations.deleteFactor, {
      method: 'DELETE',
      path: journey.path('/sms-factor'),
    });
    expect(removed.status).toBe(204);
    const gone = await journey.call(operations.getFactor, {
      method: 'GET',
      path: journey.path('/sms-factor'),
    });
    expect(gone.status).toBe(404);
    // Without a number, the last verified one is reused.
    const again = await journey.sendCode(
      operations.enrollFactor,
      {
        method: 'PUT',
        path: journey.path('/sms-factor'),
        body: { ...extras.enroll },
        headers: keyFor(how.key, 'again'),
      },
      current,
    );
    await journey.approveOnce(again.body.challenge.id, again.code, how.copies, 'enroll');
  }
}
