import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/runtime/config.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { eventLines, type EventLine } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

/**
 * Routing over HTTP against the local server (api.md "Routing: which gateway carries a message" and its
 * revisions): the order per country, the paths of its errors, a gateway a country names cannot be
 * deleted, and adaptive routing learning from codes that are entered.
 */
let server: TestServer;
let good: FakeProvider;
let bad: FakeProvider;

beforeAll(async () => {
  server = await startTestServer();
  [good, bad] = await Promise.all([startFakeProvider(), startFakeProvider()]);
  good.reply({ status: 201, body: { sid: 'SMgood' } });
  bad.reply({ status: 201, body: { sid: 'SMbad' } });
  // Repeatable exploration draws (local mode's ROUTING_SEED).
  process.env.ROUTING_SEED = '2612';
  useLocalContext({}, readConfig());
  delete process.env.ROUTING_SEED;
});
afterAll(async () => {
  await Promise.all([good.close(), bad.close()]);
  await server.stop();
});

async function twilioGateway(name: string, provider: FakeProvider): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `${name} ${Math.random()}`,
    type: 'twilio',
    accountId: 'AC0123',
    from: '+15005550006',
    password: 'routing-test-password',
    url: `${provider.url}/2010-04-01/Accounts/{accountId}/Messages.json`,
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.id;
}

/** The code in the last request a provider received (Twilio form: Body=...). */
function lastCodeAt(provider: FakeProvider): string {
  const body = new URLSearchParams(provider.requests.at(-1)?.body ?? '').get('Body') ?? '';
  return /(\d{6})/.exec(body)?.[1] ?? '';
}

let german = 0;
const germanMobile = () => `+4915112${String((process.pid * 100 + ++german) % 1_000_000).padStart(6, '0')}`;

async function sentEvents(challengeId: string): Promise<EventLine[]> {
  return (await eventLines(server.dataDir)).filter(
    (e) => e.type === 'code.sent' && e.data.challengeId === challengeId,
  );
}

describe('byCountry: the order per country', () => {
  let storeId: string;
  let primary: string;
  let fallback: string;
  let client: Awaited<ReturnType<typeof clientFor>>;

  beforeAll(async () => {
    [primary, fallback] = [await twilioGateway('Primary', bad), await twilioGateway('Germany', good)];
    client = await clientFor(server, {
      smsAuth: { gatewayId: primary, fallbackGatewayIds: [fallback] },
      routing: { byCountry: { DE: [fallback] } },
    });
    storeId = client.storeId;
  });

  it("sends DE numbers through DE's gateway first and others in linked order; each send says why", async () => {
    const [goodBefore, badBefore] = [good.requests.length, bad.requests.length];
    const de = await client.call('POST', '/v1/verifications', { phoneNumber: germanMobile() });
    expect(de.status, de.text).toBe(201);
    expect([good.requests.length - goodBefore, bad.requests.length - badBefore]).toEqual([1, 0]);
    const gb = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(gb.status, gb.text).toBe(201);
    expect([good.requests.length - goodBefore, bad.requests.length - badBefore]).toEqual([1, 1]);

    const [deSent] = await sentEvents(de.body.id);
    expect(deSent!.data).toMatchObject({
      gatewayId: fallback,
      route: { mode: 'ordered', choice: 'country' },
    });
    const [gbSent] = await sentEvents(gb.body.id);
    expect(gbSent!.data).toMatchObject({ gatewayId: primary, route: { mode: 'ordered', choice: 'head' } });
    const history = await server.admin('GET', `/admin/identity-stores/${storeId}/challenges/${de.body.id}`);
    expect(history.status, history.text).toBe(200);
    expect(history.body.sends).toEqual([
      expect.objectContaining({ gatewayId: fallback, route: { mode: 'ordered', choice: 'country' } }),
    ]);
  });

  it('the representation shows routing with its defaults', async () => {
    const store = await server.admin('GET', `/admin/identity-stores/${storeId}`);
    expect(store.body.routing).toEqual({
      mode: 'ordered',
      byCountry: { DE: [fallback] },
      explorePercent: 10,
      minSamples: 20,
      windowHours: 24,
      learnFrom: ['authenticate'],
      deliveryDeadlineSeconds: null,
    });
  });

  it('an id that is not linked is 400 at routing.byCountry.<C>.<index>; so is a PATCH that unlinks one', async () => {
    const other = await twilioGateway('Unlinked', good);
    const named = await server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
      routing: { byCountry: { FR: [primary, other] } },
    });
    expectProblem(named, 400, 'validation-failed');
    expect(errorPaths(named)).toEqual(['routing.byCountry.FR.1']);

    const unlinking = await server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
      smsAuth: { fallbackGatewayIds: [] },
    });
    expectProblem(unlinking, 400, 'validation-failed');
    expect(errorPaths(unlinking)).toEqual(['routing.byCountry.DE.0']);
    // Nothing cascaded: the store is as it was.
    const store = await server.admin('GET', `/admin/identity-stores/${storeId}`);
    expect(store.body.smsAuth.fallbackGatewayIds).toEqual([fallback]);
    expect(store.body.routing.byCountry).toEqual({ DE: [fallback] });
  });

  it('a gateway byCountry names cannot be deleted: 409 gateway-in-use', async () => {
    const deleted = await server.admin('DELETE', `/admin/gateways/${fallback}`);
    expectProblem(deleted, 409, 'gateway-in-use');
    expect((await server.admin('GET', `/admin/gateways/${fallback}`)).status).toBe(200);
  });

  it('the delivery deadline stays below the TTL: 400 at the member the write named', async () => {
    const tooLong = await server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
      routing: { deliveryDeadlineSeconds: 300 },
    });
    expectProblem(tooLong, 400, 'validation-failed');
    expect(errorPaths(tooLong)).toEqual(['routing.deliveryDeadlineSeconds']);
    const set = await server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
      routing: { deliveryDeadlineSeconds: 120 },
    });
    expect(set.status, set.text).toBe(200);
    const shorterTtl = await server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
      codePolicy: { ttlSeconds: 100 },
    });
    expectProblem(shorterTtl, 400, 'validation-failed');
    expect(errorPaths(shorterTtl)).toEqual(['codePolicy.ttlSeconds']);
    const outOfRange = await server.admin('PATCH', `/admin/identity-stores/${storeId}`, {
      routing: { deliveryDeadlineSeconds: 4, explorePercent: 51, learnFrom: ['sign-up'] },
    });
    expectProblem(outOfRange, 400, 'validation-failed');
    expect(errorPaths(outOfRange).sort()).toEqual([
      'routing.deliveryDeadlineSeconds',
      'routing.explorePercent',
      'routing.learnFrom.0',
    ]);
  });
});

describe('adaptive: two providers, one whose codes are never entered', () => {
  it('after minSamples at least 80% of new sends start at the one whose codes are entered; exploration within its share; test numbers change no rate', async () => {
    const badId = await twilioGateway('Never entered', bad);
    const goodId = await twilioGateway('Entered', good);
    const minSamples = 5;
    const client = await clientFor(server, {
      // The bad one leads the linked order: adaptive routing has to move away from it.
      smsAuth: { gatewayId: badId, fallbackGatewayIds: [goodId] },
      codePolicy: { resendIntervalSeconds: 0 },
      fraudGuard: { mode: 'off' },
      testNumbers: [{ phoneNumber: '+447700900123', code: '246810' }],
      routing: { mode: 'adaptive', minSamples, explorePercent: 50, learnFrom: ['verify-phone'] },
    });
    const routes: { gatewayId: string; choice: string }[] = [];
    /** One send; its code is entered only when the good provider carried it. */
    const send = async () => {
      const goodBefore = good.requests.length;
      const sent = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
      expect(sent.status, sent.text).toBe(201);
      const [event] = await sentEvents(sent.body.id);
      const route = event!.data.route as { choice: string };
      routes.push({ gatewayId: event!.data.gatewayId as string, choice: route.choice });
      if (good.requests.length > goodBefore) {
        const verified = await client.call('POST', `/v1/challenges/${sent.body.id}/verify`, {
          code: lastCodeAt(good),
        });
        expect(verified.status, verified.text).toBe(200);
      }
    };
    const snapshot = async () => {
      const answer = await server.admin('GET', `/admin/identity-stores/${client.storeId}/routing`);
      expect(answer.status, answer.text).toBe(200);
      return answer.body as {
        items: { gatewayId: string; accepted: number; approved: number; rate: number | null }[];
      };
    };
    const rated = (view: Awaited<ReturnType<typeof snapshot>>, id: string) =>
      view.items.find((item) => item.gatewayId === id && item.rate !== null);

    // Learning: half the sends explore until both gateways have a rate.
    for (let i = 0; i < 60; i++) {
      const view = await snapshot();
      if (rated(view, goodId) && rated(view, badId)) break;
      await send();
    }
    const learned = await snapshot();
    expect(rated(learned, goodId)).toMatchObject({ rate: 1 });
    expect(rated(learned, badId)).toMatchObject({ rate: 0 });

    // A test number's send and its approval neither use nor change the rates.
    const test = await client.call('POST', '/v1/verifications', { phoneNumber: '+447700900123' });
    expect(test.status, test.text).toBe(201);
    expect(
      (await client.call('POST', `/v1/challenges/${test.body.id}/verify`, { code: '246810' })).status,
    ).toBe(200);
    expect((await snapshot()).items).toEqual(learned.items);

    // Then at the store's usual share.
    const patched = await server.admin('PATCH', `/admin/identity-stores/${client.storeId}`, {
      routing: { explorePercent: 10 },
    });
    expect(patched.status, patched.text).toBe(200);
    routes.length = 0;
    const sends = 40;
    for (let i = 0; i < sends; i++) await send();
    const atGood = routes.filter((r) => r.gatewayId === goodId).length;
    const explored = routes.filter((r) => r.choice === 'explore');
    expect(atGood / sends).toBeGreaterThanOrEqual(0.8);
    expect(routes.filter((r) => r.choice === 'best-rate').every((r) => r.gatewayId === goodId)).toBe(true);
    expect(explored.every((r) => r.gatewayId === badId)).toBe(true);
    // 10% of 40 is 4; more than 10 has a probability below 0.1% (and the draws are seeded).
    expect(explored.length).toBeLessThanOrEqual(10);
  }, 120_000);
});

describe('the routing snapshot route', () => {
  it('one item per (country, linked gateway) with a counted message; rate null below minSamples; health', async () => {
    const gatewayId = await twilioGateway('Snapshot', good);
    const client = await clientFor(server, {
      smsAuth: { gatewayId },
      routing: { learnFrom: ['verify-phone'], minSamples: 2 },
    });
    const path = `/admin/identity-stores/${client.storeId}/routing`;
    const empty = await server.admin('GET', path);
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body).toEqual({ items: [], asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(sent.status, sent.text).toBe(201);
    const one = await server.admin('GET', path);
    expect(one.body.items).toEqual([
      {
        country: 'GB',
        gatewayId,
        accepted: 1,
        approved: 0,
        rate: null,
        // The gateway's health (transport outcomes of the last 60 s): the one accepted attempt.
        health: { state: 'closed', failures: 0, attempts: 1 },
      },
    ]);
    const verified = await client.call('POST', `/v1/challenges/${sent.body.id}/verify`, {
      code: lastCodeAt(good),
    });
    expect(verified.status, verified.text).toBe(200);
    await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    const two = await server.admin('GET', path);
    expect(two.body.items).toEqual([expect.objectContaining({ accepted: 2, approved: 1, rate: 0.5 })]);

    expect(
      (await server.admin('GET', '/admin/identity-stores/ids_0000000000000000000000000/routing')).status,
    ).toBe(404);
  });
});
