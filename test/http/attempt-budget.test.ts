import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterKeyPrefix } from '../../shared/adapters/dynamodb/challenge-items.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { ConsoleSender } from '../../shared/adapters/sms/console-sender.ts';
import { localContext } from '../../local/local-context.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { challengeSends } from '../../shared/runtime/wiring/challenge-sends.ts';
import { events } from '../../shared/runtime/wiring/events.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { SendFailure, type SmsSenders } from '../../shared/ports/sms-sender.ts';
import { budgetSpend } from '../support/budget-spend.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { countingDocumentClient, roundsOf } from '../support/counting-dynamodb.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startFakeProvider, type FakeProvider, type FakeReply } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Prices and currencies" (Wave 3 revisions) and the sending guarantees, over HTTP against the
 * local server: each provider attempt is charged against the spend budgets at its own gateway's price
 * before its request; a refused attempt (4xx) is refunded, an unknown one (5xx) never. Two custom-http
 * gateways on fake provider APIs, priced differently.
 */
let server: TestServer;
let firstApi: FakeProvider;
let secondApi: FakeProvider;
beforeAll(async () => {
  server = await startTestServer();
  [firstApi, secondApi] = await Promise.all([startFakeProvider(), startFakeProvider()]);
});
afterAll(async () => {
  await server.stop();
  await Promise.all([firstApi.close(), secondApi.close()]);
});

const FIRST_PRICE = 0.03;
const SECOND_PRICE = 0.05;
const millionths = (price: number) => Math.round(price * 1_000_000);
const ACCEPTED: FakeReply = { status: 200, body: { id: 'accepted' } };

/** A store sending through the first gateway, then the second; both custom-http, each with its price. */
async function pricedStore(dailyBudget: number) {
  const suffix = Math.random().toString(36).slice(2);
  const gateway = async (name: string, api: FakeProvider, price: number) => {
    const created = await server.admin('POST', '/admin/gateways', {
      name: `${name} ${suffix}`,
      type: 'custom-http',
      url: `${api.url}/sms`,
      pricePerSegment: { default: price },
    });
    expect(created.status, created.text).toBe(201);
    return created.body.id as string;
  };
  const first = await gateway('first', firstApi, FIRST_PRICE);
  const second = await gateway('second', secondApi, SECOND_PRICE);
  const client = await clientFor(server, {
    smsAuth: { gatewayId: first, fallbackGatewayIds: [second] },
    // The guard's velocity limits are beside the point; budgets hold in every mode.
    fraudGuard: { mode: 'off' },
    spendLimits: { pricePerSegment: { default: 0.01 }, dailyBudget },
  });
  return client;
}

const spendOf = (storeId: string) => budgetSpend(server, storeId);

async function sendThrough(
  client: Awaited<ReturnType<typeof pricedStore>>,
  first: FakeReply,
  phoneNumber = mobileNumber(),
) {
  firstApi.reply(first);
  secondApi.reply(ACCEPTED);
  const before = { first: firstApi.requests.length, second: secondApi.requests.length };
  const answer = await client.call('POST', '/v1/verifications', { phoneNumber });
  const requests = {
    first: firstApi.requests.length - before.first,
    second: secondApi.requests.length - before.second,
  };
  return { answer, requests };
}

describe('each attempt is charged at its own gateway price', () => {
  it('the first answering 500 (unknown): the budget holds the first price plus the second', async () => {
    const client = await pricedStore(10);
    const { answer, requests } = await sendThrough(client, { status: 500, body: { error: 'down' } });
    expect(answer.status, answer.text).toBe(201);
    expect(requests).toEqual({ first: 1, second: 1 });
    expect(await spendOf(client.storeId)).toBe(millionths(FIRST_PRICE) + millionths(SECOND_PRICE));
  });

  it('the first answering 400 (refused): it is refunded, the budget holds the second price only', async () => {
    const client = await pricedStore(10);
    const { answer, requests } = await sendThrough(client, { status: 400, body: { error: 'no' } });
    expect(answer.status, answer.text).toBe(201);
    expect(requests).toEqual({ first: 1, second: 1 });
    expect(await spendOf(client.storeId)).toBe(millionths(SECOND_PRICE));
  });

  it('a budget the fallback would exceed: 422 send-blocked, no request to it, the first charge stays', async () => {
    // 0.03 fits; 0.03 + 0.05 does not.
    const client = await pricedStore(0.07);
    const { answer, requests } = await sendThrough(client, { status: 503, body: {} });
    expectProblem(answer, 422, 'send-blocked');
    expect(answer.body.reason).toBe('store-budget');
    expect(requests).toEqual({ first: 1, second: 0 });
    expect(await spendOf(client.storeId)).toBe(millionths(FIRST_PRICE));
    // What is left (0.04) still takes one send through the first gateway.
    const next = await sendThrough(client, ACCEPTED);
    expect(next.answer.status, next.answer.text).toBe(201);
    expect(await spendOf(client.storeId)).toBe(2 * millionths(FIRST_PRICE));
  });
});

describe('round trips of a charged failover (warm caches)', () => {
  it("the further attempt's budget charge is in the one round its count already makes; issuing stays at 2", async () => {
    const suffix = Math.random().toString(36).slice(2);
    const gateway = async (name: string, price: number) => {
      const created = await server.admin('POST', '/admin/gateways', {
        name: `${name} ${suffix}`,
        type: 'console',
        pricePerSegment: { default: price },
      });
      expect(created.status, created.text).toBe(201);
      return created.body.id as string;
    };
    const first = await gateway('first', FIRST_PRICE);
    const second = await gateway('second', SECOND_PRICE);
    const client = await clientFor(server, {
      smsAuth: { gatewayId: first, fallbackGatewayIds: [second] },
      codePolicy: { resendIntervalSeconds: 0 },
      spendLimits: {
        pricePerSegment: { default: 0.01 },
        dailyBudget: 10,
        countryDailyBudget: { default: 10 },
      },
    });
    // The first gateway's answer is unknown (a 500); each provider call notes how many requests had ended.
    process.env.CONFIG_CACHE_SECONDS = '60';
    const counting = countingDocumentClient(server.dynamoDbEndpoint);
    const config = readConfig();
    const clock = new ManualClock();
    const outbox = new ConsoleSender(config.outboxFile, clock, cryptoRandom);
    const calls: { gatewayId: string; ended: number }[] = [];
    const senders: SmsSenders = {
      forType: (type) =>
        type === 'console'
          ? {
              send: async (record, credentials, sms) => {
                calls.push({ gatewayId: record.id, ended: counting.requests.length });
                counting.providerCalled();
                if (record.id === first) throw new SendFailure('unavailable', 'HTTP 500', 'unknown');
                return outbox.send(record, credentials, sms);
              },
            }
          : undefined,
    };
    const ctx = localContext(
      {
        clock,
        documents: counting.documents,
        senders,
        streamDocuments: createDocumentClient({ endpoint: server.dynamoDbEndpoint }),
      },
      config,
    );
    delete process.env.CONFIG_CACHE_SECONDS;
    const service = challengeSends(ctx);
    await service.verifyPhone(client.storeId, mobileNumber()); // caches warm
    calls.length = 0;
    const spentBefore = await spendOf(client.storeId);
    const { count } = await counting.measure(async () => {
      const view = await service.verifyPhone(client.storeId, mobileNumber());
      await events(ctx).log.settled();
      return view;
    });
    expect(calls.map((c) => c.gatewayId)).toEqual([first, second]);
    const withoutLookups = (rounds: string[][]) =>
      rounds.map((round) => round.filter((c) => c !== 'QueryCommand')).filter((round) => round.length > 0);
    // Before the first provider call: the pointer read, then the write with everything counted beside it.
    expect(withoutLookups(count.beforeProvider)).toEqual([
      ['GetItemCommand'],
      [
        'TransactWriteItemsCommand',
        // The store's day and both budgets (the fraud guard's velocity windows too).
        ...Array<string>(5).fill('UpdateItemCommand'),
      ],
    ]);
    // Between the two provider calls, the further attempt's counts: one round (the number's windows in
    // one write, the store's day and both budgets beside it), whatever side paths run next to it.
    const counterWrites = counting.requests
      .slice(calls[0]!.ended, calls[1]!.ended)
      .filter((r) => JSON.stringify(r.input).includes(`COUNT#${client.storeId}#`));
    expect(roundsOf(counterWrites)).toEqual([
      ['TransactWriteItemsCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'],
    ]);
    const keys = counterWrites.map((r) => JSON.stringify(r.input));
    expect(keys.some((k) => k.includes(counterKeyPrefix(client.storeId, 'storeSpendPerDay')))).toBe(true);
    expect(keys.some((k) => k.includes(counterKeyPrefix(client.storeId, 'countrySpendPerDay')))).toBe(true);
    expect((await spendOf(client.storeId)) - spentBefore).toBe(
      millionths(FIRST_PRICE) + millionths(SECOND_PRICE),
    );
    counting.documents.destroy();
  });
});
