import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { clientFor, lastCode, outbox } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/** api.md "Fraud guard and spend limits", against the local server (console gateway, outbox = provider). */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());
afterEach(() => {
  delete process.env.CLOCK_OFFSET_SECONDS;
  useLocalContext();
});

/** Distinct numbers of one 9-digit prefix (`44741234X`), one range per test. */
let range = 0;
function rangeOf(): (i: number) => string {
  range++;
  const base = `+4474${String((process.pid + range * 7) % 10_000).padStart(4, '0')}`;
  return (i: number) => `${base}${String(i).padStart(4, '0')}`;
}

const sent = async (to: string) => (await outbox(server)).filter((m) => m.to === to).length;

function expectBlocked(answer: Awaited<ReturnType<TestServer['call']>>, reason: string) {
  expectProblem(answer, 422, 'send-blocked');
  expect(answer.body.reason).toBe(reason);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('prefix-velocity', () => {
  it('3 unverified sends per prefix, then 422 with no provider call; another prefix sends; an approval makes room for one; the next hour starts again', async () => {
    const client = await clientFor(server, {
      fraudGuard: { prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 3 },
    });
    const number = rangeOf();
    const answers = [];
    for (let i = 1; i <= 5; i++) {
      answers.push(await client.call('POST', '/v1/verifications', { phoneNumber: number(i) }));
    }
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 422, 422]);
    expectBlocked(answers[3]!, 'prefix-velocity');
    expect(await sent(number(4))).toBe(0);
    expect(await sent(number(5))).toBe(0);

    const other = rangeOf();
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: other(1) })).status).toBe(201);

    // Approving one challenge takes its send off the hour's count: exactly one more goes through.
    const verified = await client.call('POST', `/v1/challenges/${answers[0]!.body.id}/verify`, {
      code: await lastCode(server, number(1)),
    });
    expect(verified.status, verified.text).toBe(200);
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: number(6) })).status).toBe(201);
    expectBlocked(
      await client.call('POST', '/v1/verifications', { phoneNumber: number(7) }),
      'prefix-velocity',
    );

    // The next clock hour counts from zero.
    process.env.CLOCK_OFFSET_SECONDS = '3600';
    useLocalContext();
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: number(8) })).status).toBe(201);
  });
});

describe('country-velocity', () => {
  it('3 unverified sends per country, then 422 with no provider call; an approval lets one more through', async () => {
    const client = await clientFor(server, { fraudGuard: { maxUnverifiedPerCountryPerHour: 3 } });
    const ranges = [rangeOf(), rangeOf(), rangeOf(), rangeOf(), rangeOf()];
    const answers = [];
    for (const number of ranges) {
      answers.push(await client.call('POST', '/v1/verifications', { phoneNumber: number(1) }));
    }
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 422, 422]);
    expectBlocked(answers[3]!, 'country-velocity');
    expect(await sent(ranges[3]!(1))).toBe(0);
    // Another country is unaffected.
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: '+33612345678' })).status).toBe(
      201,
    );
    await client.call('POST', `/v1/challenges/${answers[1]!.body.id}/verify`, {
      code: await lastCode(server, ranges[1]!(1)),
    });
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: ranges[3]!(2) })).status).toBe(201);
    expectBlocked(
      await client.call('POST', '/v1/verifications', { phoneNumber: ranges[4]!(2) }),
      'country-velocity',
    );
  });
});

describe('blocks', () => {
  const blocksOf = async (storeId: string) => {
    const answer = await server.admin('GET', `/admin/identity-stores/${storeId}/blocks`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body.items as { kind: string; value: string; unverified?: number; until: string }[];
  };
  const nextHour = () => new Date((Math.floor(Date.now() / 3_600_000) + 1) * 3_600_000).toISOString();
  const auditOf = async (type: string) =>
    (await readFile(join(server.dataDir, 'events.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .filter((line) => line.type === type);

  it('a prefix block is listed with its count and end; lifting it lets the range send for the rest of the hour', async () => {
    const client = await clientFor(server, {
      fraudGuard: { prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 3 },
    });
    const number = rangeOf();
    // 9 digits, but never more than the number's length minus 4 (api.md): these 12-digit numbers give 8.
    const prefix = number(1).slice(1, -4);
    expect(await blocksOf(client.storeId)).toEqual([]);
    for (let i = 1; i <= 3; i++) {
      expect((await client.call('POST', '/v1/verifications', { phoneNumber: number(i) })).status).toBe(201);
    }
    expect(await blocksOf(client.storeId)).toEqual([
      { kind: 'prefix', value: prefix, unverified: 3, until: nextHour() },
    ]);
    expectBlocked(
      await client.call('POST', '/v1/verifications', { phoneNumber: number(4) }),
      'prefix-velocity',
    );

    const lifted = await server.admin(
      'DELETE',
      `/admin/identity-stores/${client.storeId}/blocks/prefix/${prefix}`,
    );
    expect(lifted.status, lifted.text).toBe(204);
    expect(await blocksOf(client.storeId)).toEqual([]);
    for (let i = 5; i <= 7; i++) {
      expect((await client.call('POST', '/v1/verifications', { phoneNumber: number(i) })).status).toBe(201);
      expect(await sent(number(i))).toBe(1);
    }
    const audit = (await auditOf('admin.block.deleted')).filter((e) => e.data.storeId === client.storeId);
    expect(audit.map((e) => e.data)).toEqual([
      // A range, never a number: the event writes the prefix as `<digits>*`.
      { actor: 'local-admin', storeId: client.storeId, kind: 'prefix', value: `${prefix}*` },
    ]);
    // Lifted for its window only: the next hour counts (and blocks) again.
    process.env.CLOCK_OFFSET_SECONDS = '3600';
    useLocalContext();
    const statuses = [];
    for (let i = 8; i <= 11; i++) {
      statuses.push((await client.call('POST', '/v1/verifications', { phoneNumber: number(i) })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 422]);
  });

  it('the same for a country block', async () => {
    const client = await clientFor(server, { fraudGuard: { maxUnverifiedPerCountryPerHour: 3 } });
    const ranges = [rangeOf(), rangeOf(), rangeOf(), rangeOf(), rangeOf()];
    for (const number of ranges.slice(0, 3)) {
      expect((await client.call('POST', '/v1/verifications', { phoneNumber: number(1) })).status).toBe(201);
    }
    expectBlocked(
      await client.call('POST', '/v1/verifications', { phoneNumber: ranges[3]!(1) }),
      'country-velocity',
    );
    expect(await blocksOf(client.storeId)).toEqual([
      { kind: 'country', value: 'GB', unverified: 3, until: nextHour() },
    ]);
    const path = `/admin/identity-stores/${client.storeId}/blocks/country/GB`;
    expect((await server.admin('DELETE', path)).status).toBe(204);
    expect(await blocksOf(client.storeId)).toEqual([]);
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: ranges[3]!(1) })).status).toBe(201);
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: ranges[4]!(1) })).status).toBe(201);
    // A lifted block is no longer there to lift.
    expectProblem(await server.admin('DELETE', path), 404, 'not-found');
  });

  it('a client-address block is listed as its /64 (no count of unverified sends) and lifted by it', async () => {
    const client = await clientFor(server, { fraudGuard: { perClientIpPer10Minutes: 1 } });
    const number = rangeOf();
    const send = (i: number, clientIp: string) =>
      client.call('POST', '/v1/verifications', { phoneNumber: number(i), clientIp });
    expect((await send(1, '2001:db8:1:2::1')).status).toBe(201);
    expectBlocked(await send(2, '2001:db8:1:2::2'), 'client-ip-velocity');
    const [block] = await blocksOf(client.storeId);
    expect(block).toMatchObject({ kind: 'client-ip', value: '2001:db8:1:2::' });
    expect(block).not.toHaveProperty('unverified');
    const path = `/admin/identity-stores/${client.storeId}/blocks/client-ip/${encodeURIComponent('2001:db8:1:2::')}`;
    expect((await server.admin('DELETE', path)).status).toBe(204);
    expect((await send(3, '2001:db8:1:2::3')).status).toBe(201);
  });

  it('404 for an unknown store or a block that is not active; 400 for a bad kind or value', async () => {
    const client = await clientFor(server);
    const base = `/admin/identity-stores/${client.storeId}/blocks`;
    expectProblem(
      await server.admin('GET', '/admin/identity-stores/is_00000000000000000000000000/blocks'),
      404,
      'not-found',
    );
    expectProblem(
      await server.admin(
        'DELETE',
        '/admin/identity-stores/is_00000000000000000000000000/blocks/prefix/4474123',
      ),
      404,
      'not-found',
    );
    expectProblem(await server.admin('DELETE', `${base}/prefix/4474123`), 404, 'not-found');
    for (const bad of ['application/store', 'prefix/44x1', 'country/gb', 'client-ip/203.0.113.300']) {
      expectProblem(await server.admin('DELETE', `${base}/${bad}`), 400, 'validation-failed');
    }
  });
});

describe('monitor mode', () => {
  it('sends everything and counts what would have been blocked as flagged', async () => {
    const client = await clientFor(server, {
      fraudGuard: { mode: 'monitor', prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 3 },
    });
    const number = rangeOf();
    const flagged: Record<string, string>[] = [];
    useLocalContext({
      telemetry: {
        ...noTelemetry,
        count: (metric, dimensions) => void (metric === 'SendFlagged' && flagged.push(dimensions ?? {})),
      },
    });
    const statuses = [];
    for (let i = 1; i <= 5; i++) {
      statuses.push((await client.call('POST', '/v1/verifications', { phoneNumber: number(i) })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    for (let i = 1; i <= 5; i++) expect(await sent(number(i))).toBe(1);
    expect(flagged).toEqual([
      { reason: 'prefix-velocity', country: 'GB' },
      { reason: 'prefix-velocity', country: 'GB' },
    ]);
  });
});

describe('budgets', () => {
  it('a budget of 0.15 at 0.05 a segment allows exactly 3 sends; other countries keep sending under a country budget', async () => {
    const client = await clientFor(server, {
      spendLimits: { pricePerSegment: { default: 0.05 }, countryDailyBudget: { GB: 0.15 } },
    });
    const number = rangeOf();
    const statuses = [];
    for (let i = 1; i <= 4; i++) {
      const answer = await client.call('POST', '/v1/verifications', { phoneNumber: number(i) });
      statuses.push(answer.status);
      if (i === 4) expectBlocked(answer, 'country-budget');
    }
    expect(statuses).toEqual([201, 201, 201, 422]);
    expect(await sent(number(4))).toBe(0);
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: '+33612345679' })).status).toBe(
      201,
    );
  });

  it("the store's budget refuses the send that would exceed it; a UCS-2 template costs more segments", async () => {
    // 71 UCS-2 characters with the code: two segments, so 0.10 a send at 0.05 a segment.
    const template = `Ваш код [Code] ${'ж'.repeat(60)}`;
    const client = await clientFor(server, {
      smsAuth: { messageTemplate: template },
      spendLimits: { pricePerSegment: { default: 0.05, FR: 1 }, dailyBudget: 0.25 },
    });
    const number = rangeOf();
    const statuses = [];
    for (let i = 1; i <= 3; i++) {
      const answer = await client.call('POST', '/v1/verifications', { phoneNumber: number(i) });
      statuses.push(answer.status);
      if (i === 3) expectBlocked(answer, 'store-budget');
    }
    expect(statuses).toEqual([201, 201, 422]);
  });

  it("charges the budget at the gateway's own price for the country, before its request (api.md Prices)", async () => {
    // The store's price would let 25 sends through; the gateway's GB price lets 2.
    const gateway = await server.admin('POST', '/admin/gateways', {
      name: `priced console ${Math.random().toString(36).slice(2)}`,
      type: 'console',
      pricePerSegment: { default: 0.02, GB: 0.1 },
    });
    expect(gateway.status, gateway.text).toBe(201);
    const client = await clientFor(server, {
      smsAuth: { gatewayId: gateway.body.id },
      spendLimits: { pricePerSegment: { default: 0.01 }, dailyBudget: 0.25 },
    });
    const number = rangeOf();
    const statuses = [];
    for (let i = 1; i <= 3; i++) {
      const answer = await client.call('POST', '/v1/verifications', { phoneNumber: number(i) });
      statuses.push(answer.status);
      if (i === 3) expectBlocked(answer, 'store-budget');
    }
    expect(statuses).toEqual([201, 201, 422]);
    // Nothing went out for the refused one.
    expect(await sent(number(3))).toBe(0);
  });
});

describe('clientIp', () => {
  it('counts per address with one spelling, IPv6 per /64; omitted is not counted; invalid is 400', async () => {
    const client = await clientFor(server, { fraudGuard: { perClientIpPer10Minutes: 2 } });
    const number = rangeOf();
    let i = 0;
    const send = (clientIp?: string) =>
      client.call('POST', '/v1/verifications', {
        phoneNumber: number(++i),
        ...(clientIp === undefined ? {} : { clientIp }),
      });
    expect((await send('203.0.113.7')).status).toBe(201);
    expect((await send('::ffff:203.0.113.7')).status).toBe(201);
    expectBlocked(await send('203.0.113.7'), 'client-ip-velocity');
    expect((await send('203.0.113.8')).status).toBe(201);
    expect((await send('2001:db8:1:2::1')).status).toBe(201);
    expect((await send('2001:0db8:0001:0002:ffff::9')).status).toBe(201);
    expectBlocked(await send('2001:db8:1:2:3:4:5:6'), 'client-ip-velocity');
    for (let k = 0; k < 3; k++) expect((await send()).status).toBe(201);
    const invalid = await send('203.0.113.300');
    expectProblem(invalid, 400, 'validation-failed');
    // The sign-in route takes `{ clientIp? }` too.
    expectProblem(
      await client.call('POST', '/v1/users/nobody/sms-factor/challenges', { clientIp: 'nope' }),
      400,
      'validation-failed',
    );
  });
});

describe('store fields', () => {
  it('fills the defaults, shows them, and follows the merge-patch rules', async () => {
    const client = await clientFor(server);
    const path = `/admin/identity-stores/${client.storeId}`;
    const created = await server.admin('GET', path);
    expect(created.body.fraudGuard).toEqual({
      mode: 'enforce',
      prefixDigits: 7,
      maxUnverifiedPerPrefixPerHour: 20,
      maxUnverifiedPerCountryPerHour: 500,
      perClientIpPer10Minutes: 10,
      perApplicationPerMinute: null,
    });
    expect(created.body.spendLimits).toEqual({
      currency: 'USD',
      pricePerSegment: { default: 0.05 },
      dailyBudget: null,
      countryDailyBudget: null,
      // A call's price (issue 29): the default 0.10 until the store names its own.
      pricePerCall: { default: 0.1 },
    });
    const patched = await server.admin('PATCH', path, {
      fraudGuard: { prefixDigits: 9 },
      spendLimits: { pricePerSegment: { GB: 0.04, default: 0.06 }, countryDailyBudget: { default: 5 } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.fraudGuard.prefixDigits).toBe(9);
    expect(patched.body.spendLimits.pricePerSegment).toEqual({ GB: 0.04, default: 0.06 });
    const removed = await server.admin('PATCH', path, {
      spendLimits: { pricePerSegment: { GB: null, default: null } },
      fraudGuard: null,
    });
    expect(removed.body.spendLimits.pricePerSegment).toEqual({ default: 0.05 });
    expect(removed.body.spendLimits.countryDailyBudget).toEqual({ default: 5 });
    expect(removed.body.fraudGuard.prefixDigits).toBe(7);
    for (const bad of [
      { fraudGuard: { prefixDigits: 3 } },
      { fraudGuard: { mode: 'loud' } },
      { spendLimits: { pricePerSegment: { XX: 1 } } },
      { spendLimits: { dailyBudget: -1 } },
      { spendLimits: { currency: 'EUR' } },
    ]) {
      expectProblem(await server.admin('PATCH', path, bad), 400, 'validation-failed');
    }
  });
});
