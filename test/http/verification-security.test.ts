import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedFileStore } from '../../shared/adapters/secrets/encrypted-file-store.ts';
import { codeHash } from '../../shared/domain/codes/code.ts';
import { PEPPER_SECRET_NAME } from '../../shared/domain/codes/pepper.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { localContext, useLocalContext } from '../../local/local-context.ts';
import type { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import type { VerifyCode } from '../../shared/domain/challenges/verify-code.ts';
import type { DeferredUncount } from '../../shared/domain/fraud/deferred-uncount.ts';
import type { EventLog } from '../../shared/domain/events/event-log.ts';
import { challengeSends } from '../../shared/runtime/wiring/challenge-sends.ts';
import { codeVerification } from '../../shared/runtime/wiring/verify-code.ts';
import { deferredUncount } from '../../shared/runtime/wiring/challenge-records.ts';
import { events } from '../../shared/runtime/wiring/events.ts';
import { clientFor, lastCode, mobileNumber, outbox } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { expectProblem } from '../support/problems.ts';
import {
  countingDocumentClient,
  markingProviderCalls,
  type RequestCount,
} from '../support/counting-dynamodb.ts';
import { ConsoleSender } from '../../shared/adapters/sms/console-sender.ts';
import { HEALTH_SNAPSHOT_MAX_AGE_MS } from '../../shared/domain/gateways/gateway-breaker.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';

let server: TestServer;
const clock = new ManualClock();
const counting = { documents: undefined as unknown as ReturnType<typeof countingDocumentClient> };
beforeAll(async () => {
  server = await startTestServer();
  counting.documents = countingDocumentClient(server.dynamoDbEndpoint);
  // The same handlers, with time under the test's control and DynamoDB requests counted.
  useLocalContext(
    { clock, documents: counting.documents.documents, streamDocuments: streamWrites() },
    readConfig(),
  );
});
afterAll(() => server.stop());
/** Locally, the writes the deployed table stream makes (the usage ledger): no request's, so uncounted. */
const streamWrites = () => createDocumentClient({ endpoint: server.dynamoDbEndpoint });

const statuses = (responses: Array<{ status: number }>) =>
  responses.reduce<Record<number, number>>(
    (counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }),
    {},
  );

async function enrolledUser(client: Awaited<ReturnType<typeof clientFor>>, userId: string) {
  const phone = mobileNumber();
  const enroll = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
  const ok = await client.call('POST', `/v1/challenges/${enroll.body.challenge.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(ok.status, ok.text).toBe(200);
  return phone;
}

const wrongCode = (code: string) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');

describe('single use under concurrency', () => {
  it('50 parallel verifications with the right code: exactly one 200, the rest challenge-used (20 rounds)', async () => {
    const client = await clientFor(server);
    for (let round = 0; round < 20; round++) {
      const phone = mobileNumber();
      const challenge = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
      const code = await lastCode(server, phone);
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, { code }),
        ),
      );
      expect(statuses(results), `round ${round}`).toEqual({ 200: 1, 409: 49 });
      for (const result of results.filter((r) => r.status === 409))
        expect(result.body.type).toMatch(/\/challenge-used$/);
    }
  });

  it('100 parallel wrong guesses: exactly maxAttempts are evaluated, then the right code is refused', async () => {
    const client = await clientFor(server, { codePolicy: { maxAttempts: 5 } });
    const phone = mobileNumber();
    const challenge = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const code = await lastCode(server, phone);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, {
          code: wrongCode(String((Number(code) + i) % 1e6).padStart(6, '0')),
        }),
      ),
    );
    expect(statuses(results)).toEqual({ 422: 5, 429: 95 });
    const remaining = results
      .filter((r) => r.status === 422)
      .map((r) => r.body.attemptsRemaining)
      .sort();
    expect(remaining).toEqual([0, 1, 2, 3, 4]);
    expectProblem(
      await client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, { code }),
      429,
      'too-many-attempts',
    );
  });
});

describe('lockouts', () => {
  it('maxAttempts wrong codes kill a challenge even for the right code', async () => {
    const client = await clientFor(server, { codePolicy: { maxAttempts: 3 } });
    const phone = mobileNumber();
    const challenge = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const code = await lastCode(server, phone);
    const path = `/v1/challenges/${challenge.body.id}/verify`;
    const first = await client.call('POST', path, { code: wrongCode(code) });
    expectProblem(first, 422, 'invalid-code');
    expect(first.body.attemptsRemaining).toBe(2);
    expect((await client.call('POST', path, { code: wrongCode(code) })).body.attemptsRemaining).toBe(1);
    expect((await client.call('POST', path, { code: wrongCode(code) })).body.attemptsRemaining).toBe(0);
    expectProblem(await client.call('POST', path, { code }), 429, 'too-many-attempts');
  });

  it('locks the factor after 10 consecutive failures across challenges, through resends, for 15 minutes', async () => {
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0, maxAttempts: 5 } });
    const phone = await enrolledUser(client, 'carol');
    const fail = async (challengeId: string, times: number) => {
      const results = [];
      for (let i = 0; i < times; i++) {
        results.push(
          await client.call('POST', `/v1/challenges/${challengeId}/verify`, {
            code: wrongCode(await lastCode(server, phone)),
          }),
        );
      }
      return results;
    };
    const a = await client.call('POST', '/v1/users/carol/sms-factor/challenges');
    await fail(a.body.id, 4);
    // A new code for the same challenge resets nothing.
    const resent = await client.call('POST', '/v1/users/carol/sms-factor/challenges');
    expect(resent.body.id).toBe(a.body.id);
    expect(resent.body.attemptsRemaining).toBe(1);
    await fail(a.body.id, 1);
    const b = await client.call('POST', '/v1/users/carol/sms-factor/challenges');
    expect(b.status, b.text).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    const results = await fail(b.body.id, 4);
    expect(results.map((r) => r.status)).toEqual([422, 422, 422, 422]);
    await client.call('POST', '/v1/users/carol/sms-factor/challenges');
    const tenth = (await fail(b.body.id, 1))[0]!;
    expectProblem(tenth, 429, 'too-many-attempts');
    expect(Number(tenth.headers.get('retry-after'))).toBeGreaterThan(890);

    const refused = await client.call('POST', '/v1/users/carol/sms-factor/challenges');
    expectProblem(refused, 429, 'too-many-attempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    clock.advance(14 * 60_000);
    expectProblem(
      await client.call('POST', '/v1/users/carol/sms-factor/challenges'),
      429,
      'too-many-attempts',
    );
    clock.advance(60_000 + 1000);
    const after = await client.call('POST', '/v1/users/carol/sms-factor/challenges');
    expect(after.status, after.text).toBe(201);
    const ok = await client.call('POST', `/v1/challenges/${after.body.id}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(ok.status, ok.text).toBe(200);
  });
});

describe('expiry and scoping', () => {
  it('refuses an expired code while its item is still in the table', async () => {
    const client = await clientFor(server, { codePolicy: { ttlSeconds: 60 } });
    const phone = mobileNumber();
    const challenge = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const code = await lastCode(server, phone);
    clock.advance(61_000);
    expectProblem(
      await client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, { code }),
      410,
      'challenge-expired',
    );
    const items =
      (await counting.documents.documents.send(new ScanCommand({ TableName: server.tableName }))).Items ?? [];
    expect(items.some((item) => item.pk === `CHALLENGE#${challenge.body.id}`)).toBe(true);
  });

  it("a code of challenge A fails on B, and store A's challenge is 404 through store B's key", async () => {
    const storeA = await clientFor(server);
    const storeB = await clientFor(server);
    const phoneA = mobileNumber();
    const phoneB = mobileNumber();
    const a = await storeA.call('POST', '/v1/verifications', { phoneNumber: phoneA });
    const codeA = await lastCode(server, phoneA);
    const b = await storeA.call('POST', '/v1/verifications', { phoneNumber: phoneB });
    const codeB = await lastCode(server, phoneB);
    if (codeA !== codeB)
      expectProblem(
        await storeA.call('POST', `/v1/challenges/${b.body.id}/verify`, { code: codeA }),
        422,
        'invalid-code',
      );
    expectProblem(
      await storeB.call('POST', `/v1/challenges/${a.body.id}/verify`, { code: codeA }),
      404,
      'not-found',
    );
    // The other store's attempt neither counted nor used the challenge.
    const ok = await storeA.call('POST', `/v1/challenges/${a.body.id}/verify`, { code: codeA });
    expect(ok.status, ok.text).toBe(200);
    expectProblem(
      await storeA.call('POST', '/v1/challenges/ch_doesnotexist/verify', { code: '123456' }),
      404,
      'not-found',
    );
  });
});

describe('refused sends', () => {
  it('make no provider call and answer the api.md problem', async () => {
    const sent = async () => (await outbox(server)).length;
    const before = await sent();
    const us = await clientFor(server, { allowedCountries: ['US'] });
    expectProblem(
      await us.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }),
      422,
      'phone-not-allowed',
    );
    const any = await clientFor(server);
    for (const number of ['+449090901234', '+18005551234', '+4930123456', '+447700900123']) {
      expectProblem(
        await any.call('POST', '/v1/verifications', { phoneNumber: number }),
        422,
        'phone-not-allowed',
      );
    }
    const disabled = await clientFor(server, { smsAuth: { enabled: false } });
    expectProblem(
      await disabled.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() }),
      409,
      'sms-disabled',
    );
    expect(await sent()).toBe(before);

    const perPhone = await clientFor(server, {
      sendLimits: { perPhonePer10Minutes: 2 },
      codePolicy: { resendIntervalSeconds: 0 },
    });
    const phone = mobileNumber();
    await perPhone.call('POST', '/v1/verifications', { phoneNumber: phone });
    await perPhone.call('POST', '/v1/verifications', { phoneNumber: phone });
    const third = await perPhone.call('POST', '/v1/verifications', { phoneNumber: phone });
    expectProblem(third, 429, 'rate-limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(third.headers.get('retry-after'))).toBeLessThanOrEqual(600);

    const perDay = await clientFor(server, { sendLimits: { perPhonePerDay: 1 } });
    const dayPhone = mobileNumber();
    await perDay.call('POST', '/v1/verifications', { phoneNumber: dayPhone });
    await perDay.call('DELETE', '/v1/users/none/sms-factor');
    const user = await perDay.call('PUT', '/v1/users/dora/sms-factor', { phoneNumber: dayPhone });
    expectProblem(user, 429, 'rate-limited');

    const budget = await clientFor(server, { sendLimits: { perStorePerDay: 1 } });
    await budget.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    const overBudget = await budget.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expectProblem(overBudget, 429, 'rate-limited');
    expect(overBudget.headers.get('retry-after')).toBeTruthy();
    expect(await sent()).toBe(before + 2 + 1 + 1);
  });
});

describe('what the table holds', () => {
  it('no plaintext code, and hashes keyed by the pepper and the challenge', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const challenge = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    const code = await lastCode(server, phone);
    const codes = new Set((await outbox(server)).map((m) => /(\d{4,10})/.exec(m.body)?.[1]).filter(Boolean));

    const items =
      (await counting.documents.documents.send(new ScanCommand({ TableName: server.tableName }))).Items ?? [];
    const values: unknown[] = [];
    const walk = (value: unknown): void => {
      if (value instanceof Set) return [...value].forEach(walk);
      if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          values.push(key);
          walk(inner);
        }
      } else values.push(value);
    };
    items.forEach(walk);
    // Numbers appear in no key: pointers and counters are keyed by an HMAC of the number.
    const digits = phone.slice(1);
    expect(
      items.filter((item) => String(item.pk).includes(digits) || String(item.pk).includes(digits.slice(2))),
    ).toEqual([]);
    for (const sent of codes) {
      expect(
        values.filter((v) => String(v) === sent),
        `code ${sent} stored`,
      ).toEqual([]);
    }
    for (const message of await outbox(server)) expect(JSON.stringify(items)).not.toContain(message.body);

    const item = items.find((i) => i.pk === `CHALLENGE#${challenge.body.id}`);
    const pepper =
      (await (await EncryptedFileStore.open(server.dataDir)).get(PEPPER_SECRET_NAME))?.pepper ?? '';
    const stored = Object.keys(item?.codes ?? {});
    expect(stored).toEqual([codeHash(Buffer.from(pepper), challenge.body.id, code)]);
    expect(stored[0]).not.toBe(codeHash(Buffer.from(`${pepper}x`), challenge.body.id, code));
    expect(stored[0]).not.toBe(codeHash(Buffer.from(pepper), 'ch_other', code));
  });
});

describe('round trips (warm caches)', () => {
  it('issuing costs at most 2 sequential DynamoDB round trips before the provider call and a verify success 1 before its answer', async () => {
    // The fraud guard is on (its defaults); the approval's un-count is measured apart below.
    const { services, answer } = await countedServices('deferred');
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    const warm = await services.challenges.verifyPhone(client.storeId, mobileNumber());
    expect(warm.purpose).toBe('verify-phone');

    const phone = mobileNumber();
    const issued = await answer(() => services.challenges.verifyPhone(client.storeId, phone));
    expectIssue(issued.count, 'issue');

    const phoneCode = await lastCode(server, phone);
    // Through the verify route's own wiring (wiring/verify-code.ts), as its function runs it.
    const verified = await answer(() =>
      services.verification.run(client.storeId, issued.result.id, phoneCode),
    );
    expectVerify(verified.count, 'verify');

    // An authenticate challenge: a factor read plus one transaction; a clean approval within the hour is 1 write.
    const userPhone = await enrolledUser(client, 'erin');
    const firstAuth = await services.challenges.authenticate(client.storeId, 'erin');
    await services.challenges.verify(client.storeId, firstAuth.id, await lastCode(server, userPhone));
    clock.advance(301_000); // the previous challenge is no longer live
    await services.challenges.verifyPhone(client.storeId, mobileNumber()); // caches warm again
    const auth = await answer(() => services.challenges.authenticate(client.storeId, 'erin'));
    expectIssue(auth.count, 'issue authenticate');
    const authCode = await lastCode(server, userPhone);
    expectVerify(
      (await answer(() => services.verification.run(client.storeId, auth.result.id, authCode))).count,
      'verify authenticate',
    );

    // A resend (a live challenge for the same phone) is also 2: the write is conditional on the attempt
    // count the pointer recorded, so the challenge is not read first.
    const live = await services.challenges.verifyPhone(client.storeId, phone);
    const resent = await answer(() => services.challenges.verifyPhone(client.storeId, phone));
    expect(resent.result.id).toBe(live.id);
    expectIssue(resent.count, 'resend', 1);

    // A wrong code keeps the pointer's count in step, so the next resend is still 2 and knows the count.
    const wrong = await services.challenges.verify(client.storeId, live.id, '000000').catch((e: Error) => e);
    expect(wrong).toMatchObject({ slug: 'invalid-code' });
    const afterWrong = await answer(() => services.challenges.verifyPhone(client.storeId, phone));
    expectIssue(afterWrong.count, 'resend after a wrong code', 1);
    expect(afterWrong.result).toMatchObject({ id: live.id, attemptsRemaining: 4 });

    // The one path that costs 3: asking again while an approved challenge is still within its code
    // lifetime (the clean approval wrote nothing but the challenge): the conditional resend fails and
    // a new challenge is started.
    await services.challenges.verify(client.storeId, live.id, await lastCode(server, phone));
    const fresh = await answer(() => services.challenges.verifyPhone(client.storeId, phone));
    expect(fresh.result.id).not.toBe(live.id);
    expect(fresh.count.beforeProvider, 'after approval').toEqual([
      ['GetItemCommand'],
      ['TransactWriteItemsCommand', ...GUARDED_UPDATES],
      ['TransactWriteItemsCommand'],
    ]);
  });

  it('with the un-count inline (local mode), an approval of a guarded challenge adds one parallel round before its answer', async () => {
    const { services, answer } = await countedServices('inline');
    const { count } = await verifiedGuarded(services, answer);
    expect(withoutLookups(count.beforeAnswer)).toEqual([
      ['UpdateItemCommand'],
      // The un-count's two hours and the challenge history's ending, beside the approval's publication.
      ['PutItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'],
    ]);
    expect(count.afterAnswer.filter(notLookup)).toEqual([]);
    expect(lookups(count)).toBe(1);
    expect(count.total).toBe(4 + 1);
  });

  it('deployed configuration (no override): a verify success of a guarded challenge is 1 round trip, the un-count left to the bus consumer', async () => {
    // No event bus here, so the events go nowhere; deployed, the bus rule runs the consumer below.
    const { services, answer } = await countedServices('deployed');
    const { client, issued, count } = await verifiedGuarded(services, answer);
    // No local webhook dispatcher either: deployed, the bus fans events out to the delivery function.
    expect(count).toMatchObject({ beforeAnswer: [['UpdateItemCommand']], afterAnswer: [], total: 1 });
    // The consumer of challenge.approved then takes the sends off, once.
    const consumed = await answer(() => services.deferredUncount.approved(client.storeId, issued.id));
    expect(consumed.result).toBe('uncounted');
    // The approval's ending for the challenge history is written beside the mark and the refunds: at
    // most the un-count's own three rounds, whichever of them it overlaps.
    const consumer = consumed.count.beforeAnswer;
    expect(consumer[0]).toEqual(['GetItemCommand']);
    expect(consumer.length).toBeLessThanOrEqual(3);
    expect(consumer.flat().sort()).toEqual([
      'GetItemCommand',
      'PutItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
    ]);
    expect(await services.deferredUncount.approved(client.storeId, issued.id)).toBe('already-uncounted');
  });

  it('deployed configuration: an issue is 2 rounds before the provider call, then the send record and receipt pointer beside code.sent', async () => {
    const { services, answer } = await countedServices('deployed');
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    await services.challenges.verifyPhone(client.storeId, mobileNumber()); // caches warm
    const issued = await answer(() => services.challenges.verifyPhone(client.storeId, mobileNumber()));
    expect(issued.count).toMatchObject({
      beforeProvider: ISSUE_ROUNDS,
      beforeAnswer: [...ISSUE_ROUNDS, SEND_RECORD],
      afterAnswer: [],
      total: 7,
    });
  });

  it("deployed configuration: a stale gateway-health snapshot is read beside the issue's write, never as a round of its own", async () => {
    const { services, answer } = await countedServices('deployed');
    const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
    await services.challenges.verifyPhone(client.storeId, mobileNumber()); // caches warm, health read
    clock.advance(HEALTH_SNAPSHOT_MAX_AGE_MS); // the instance's health view is now stale
    const issued = await answer(() => services.challenges.verifyPhone(client.storeId, mobileNumber()));
    const healthReads = issued.count.requests.filter(
      (r) => r.command === 'QueryCommand' && JSON.stringify(r.input).includes('GWHEALTH#'),
    );
    expect(healthReads).toHaveLength(1);
    const write = issued.count.requests.find((r) => r.command === 'TransactWriteItemsCommand')!;
    // Started by the routing facts before the write went out: it runs beside the write, and the
    // delivery waits for it (it ended before the provider call) without a round trip of its own.
    expect(healthReads[0]!.startedAt).toBeLessThan(write.startedAt);
    expect(issued.count.beforeProvider.flat()).toContain('QueryCommand');
    expect(withoutLookups(issued.count.beforeProvider)).toEqual(ISSUE_ROUNDS);
  });

  it("with applications in play: an application key's policy costs issue and verify no request", async () => {
    const { services, answer } = await countedServices('deferred');
    // The store's own SMS is off: only the application's policy lets its key send.
    const client = await clientFor(server, { smsAuth: { enabled: false } });
    const app = await server.admin('POST', `/admin/identity-stores/${client.storeId}/applications`, {
      name: 'Portal',
      mfaPolicy: { enabled: true },
    });
    expect(app.status, app.text).toBe(201);
    // What the authorizer context carries for the application's key.
    const application = { id: app.body.id as string, mfaPolicy: app.body.mfaPolicy };
    await services.challenges.verifyPhone(client.storeId, mobileNumber(), undefined, application); // caches warm

    const phone = mobileNumber();
    const issued = await answer(() =>
      services.challenges.verifyPhone(client.storeId, phone, undefined, application),
    );
    expectIssue(issued.count, 'issue');
    const phoneCode = await lastCode(server, phone);
    expectVerify(
      (await answer(() => services.challenges.verify(client.storeId, issued.result.id, phoneCode))).count,
      'verify',
    );
    await expect(services.challenges.verifyPhone(client.storeId, mobileNumber())).rejects.toMatchObject({
      slug: 'sms-disabled',
    });
  });
});

/** The store-wide shard, the prefix hour and the country hour: single-item updates beside the transaction. */
const GUARDED_UPDATES = ['UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'];
/** A warm issue: the config read, then the transaction with the guard's counters beside it. */
const ISSUE_ROUNDS = [['GetItemCommand'], ['TransactWriteItemsCommand', ...GUARDED_UPDATES]];
/** After the provider's answer, beside the `code.sent` publication: the send record and its receipt pointer. */
const SEND_RECORD = ['PutItemCommand', 'PutItemCommand'];

/**
 * Local mode's webhook dispatcher looks up the store's webhooks once per event (a Query), started by
 * the publication and never waited for: it ends beside a round of the request, alone between two, or
 * after the answer, as the machine's timing falls, so it is counted apart and takes no round of the
 * answer's. Deployed, the bus hands the events to the delivery function instead.
 */
const notLookup = (command: string) => command !== 'QueryCommand';
const lookups = (count: RequestCount) => count.requests.filter((r) => !notLookup(r.command)).length;
const withoutLookups = (rounds: string[][]) =>
  rounds
    .map((round) => round.filter(notLookup))
    .filter((round, i) => round.length > 0 || rounds[i]!.length === 0);

/**
 * Issue: 2 rounds before the provider call, the send record after it; a lookup per event (a new
 * challenge's `challenge.created` and `code.sent`, a resend's `code.sent` only).
 */
function expectIssue(count: RequestCount, what: string, events = 2) {
  expect(count.beforeProvider, what).toEqual(ISSUE_ROUNDS);
  expect(withoutLookups(count.beforeAnswer), what).toEqual([...ISSUE_ROUNDS, SEND_RECORD]);
  expect(count.afterAnswer.filter(notLookup), what).toEqual([]);
  expect(lookups(count), what).toBe(events);
  expect(count.total, what).toBe(7 + events);
}

/** Verify, un-count deferred: 1 round before the answer; the lookup of its one event. */
function expectVerify(count: RequestCount, what: string) {
  expect(withoutLookups(count.beforeAnswer), what).toEqual([['UpdateItemCommand']]);
  expect(count.afterAnswer.filter(notLookup), what).toEqual([]);
  expect(lookups(count), what).toBe(1);
  expect(count.total, what).toBe(1 + 1);
}

/**
 * The service as a Lambda container builds it, with warm config caches and every DynamoDB request
 * counted, and `answer`: one request as the HTTP pipeline runs it (the use case, then its events
 * published, then the answer), measured. `deployed`: no override, with the configuration a deployed
 * function reads (not local mode).
 */
async function countedServices(approvalUncount: 'inline' | 'deferred' | 'deployed') {
  process.env.CONFIG_CACHE_SECONDS = '60';
  const counting = countingDocumentClient(server.dynamoDbEndpoint);
  const config = readConfig();
  const outbox = new ConsoleSender(config.outboxFile, clock, cryptoRandom);
  const senders = markingProviderCalls(
    { forType: (type) => (type === 'console' ? outbox : undefined) },
    counting,
  );
  const overrides = { clock, documents: counting.documents, senders, streamDocuments: streamWrites() };
  const ctx =
    approvalUncount === 'deployed'
      ? localContext(overrides, { ...config, localMode: false })
      : localContext({ ...overrides, approvalUncount }, config);
  const services: CountedServices = {
    challenges: challengeSends(ctx),
    verification: codeVerification(ctx),
    deferredUncount: deferredUncount(ctx),
    events: events(ctx).log,
  };
  delete process.env.CONFIG_CACHE_SECONDS;
  const answer = <T>(work: () => Promise<T>) =>
    counting.measure(async () => {
      const result = await work();
      await services.events.settled();
      return result;
    });
  return { services, answer };
}

type Answer = Awaited<ReturnType<typeof countedServices>>['answer'];

interface CountedServices {
  challenges: ChallengeService;
  /** The verify route's use case, wired as its function wires it. */
  verification: VerifyCode;
  deferredUncount: DeferredUncount;
  events: EventLog;
}

/** Issues a guarded verify-phone challenge (caches warm) and verifies it, measured. */
async function verifiedGuarded(services: CountedServices, answer: Answer) {
  const client = await clientFor(server, { codePolicy: { resendIntervalSeconds: 0 } });
  await services.challenges.verifyPhone(client.storeId, mobileNumber());
  const phone = mobileNumber();
  const issued = await services.challenges.verifyPhone(client.storeId, phone);
  const code = await lastCode(server, phone);
  const { count } = await answer(() => services.verification.run(client.storeId, issued.id, code));
  return { client, issued, count };
}
