import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/table-stream-aggregates/stream.ts';
import {
  DELIVERY_STATS_SHARDS,
  DeliveryStatsTable,
} from '../../shared/adapters/dynamodb/delivery-stats-table.ts';
import { SendHistoryTable } from '../../shared/adapters/dynamodb/send-history-table.ts';
import { hourOf } from '../../shared/domain/routing/delivery-counts.ts';
import { seededRandom } from '../../shared/ports/random.ts';
import { createTestTable, serviceEnvironmentFor, type TestTable } from '../support/dynamodb.ts';
import { ManualClock } from '../support/manual-clock.ts';

/**
 * The deployed delivery statistics on DynamoDB Local: the table stream's consumer (one function, a list
 * of projections) turns send records, receipts and approvals into sharded hourly counters, and two
 * service instances reading the same counters see the same sums.
 */
let table: TestTable;
const context = { functionName: 'table-stream-aggregates', awsRequestId: 'req-1' } as Context;
const NOW = Date.UTC(2026, 11, 6, 22, 30);
const clock = new ManualClock(NOW);

beforeAll(async () => {
  table = await createTestTable();
  await serviceEnvironmentFor(table, 'sms-mfa-stats-');
});
afterAll(async () => {
  await table.drop();
});

let sequence = 0;
function record(
  eventName: 'INSERT' | 'MODIFY',
  newImage: Record<string, unknown>,
  oldImage?: Record<string, unknown>,
): DynamoDBRecord {
  const image = (item: Record<string, unknown>) =>
    marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
  return {
    eventName,
    dynamodb: {
      SequenceNumber: String(++sequence),
      NewImage: image(newImage) as never,
      ...(oldImage ? { OldImage: image(oldImage) as never } : {}),
    },
  };
}

async function sendItem(challengeId: string): Promise<Record<string, unknown>> {
  const items = await table.scanAll();
  return items.find((i) => i.entity === 'send' && String(i.pk).endsWith(challengeId))!;
}

const instance = (seed: number) =>
  new DeliveryStatsTable(table.documents, table.tableName, clock, seededRandom(seed), true);
const query = { windowHours: 24, learnFrom: ['authenticate'], now: NOW };

describe('the table stream aggregates: delivery statistics', () => {
  it('counts accepted sends, receipts and approvals credited to the carrying gateway; test numbers count nothing; two instances agree', async () => {
    const history = new SendHistoryTable(table.documents, table.tableName, () => NOW);
    const storeId = 'ids_stats';
    const codeExpiry = NOW + 300_000;
    const send = (challengeId: string, gatewayId: string, test = false) =>
      history.recordSend(
        storeId,
        challengeId,
        {
          at: new Date(NOW - 60_000).toISOString(),
          attempt: 1,
          gatewayId,
          gatewayType: 'twilio',
          providerMessageId: `SM-${challengeId}`,
          outcome: 'accepted',
          codeExpiresAt: new Date(codeExpiry).toISOString(),
          country: 'GB',
          route: { mode: 'adaptive', choice: 'head' },
        },
        { purpose: 'authenticate', maskedPhone: '+44*******456', test },
      );
    await Promise.all([send('ch_a', 'gw_good'), send('ch_b', 'gw_bad'), send('ch_t', 'gw_good', true)]);
    const [a, b, t] = await Promise.all(['ch_a', 'ch_b', 'ch_t'].map(sendItem));
    const challenge = {
      entity: 'challenge',
      id: 'ch_a',
      storeId,
      purpose: 'authenticate',
      codes: { h1: codeExpiry },
      tried: {},
      triedAt: {},
    };
    const approved = { ...challenge, tried: { h1: 0 }, triedAt: { h1: NOW } };
    const result = await handler(
      {
        Records: [
          record('INSERT', a!),
          record('INSERT', b!),
          record('INSERT', t!),
          record('MODIFY', { ...b!, deliveryStatus: 'failed' }, b!),
          record('MODIFY', { ...a!, deliveryStatus: 'delivered' }, a!),
          // A second receipt on a send that has one changes nothing.
          record('MODIFY', { ...a!, deliveryStatus: 'delivered' }, { ...a!, deliveryStatus: 'delivered' }),
          record('MODIFY', approved, challenge),
          // Later writes on an approved challenge credit nothing again.
          record('MODIFY', { ...approved, attempts: 2 }, approved),
        ],
      },
      context,
    );
    expect(result).toEqual({ batchItemFailures: [] });

    const [one, two] = await Promise.all([
      instance(1).snapshot(storeId, query),
      instance(2).snapshot(storeId, query),
    ]);
    expect(one.items).toEqual(two.items);
    expect(one.items).toEqual([
      {
        country: 'GB',
        gatewayId: 'gw_bad',
        accepted: 1,
        delivered: 0,
        failed: 1,
        learnAccepted: 1,
        learnApproved: 0,
      },
      {
        country: 'GB',
        gatewayId: 'gw_good',
        accepted: 1,
        delivered: 1,
        failed: 0,
        learnAccepted: 1,
        learnApproved: 1,
      },
    ]);
    // Purposes outside learnFrom feed no rate.
    const enrollOnly = await instance(3).snapshot(storeId, { ...query, learnFrom: ['enroll'] });
    expect(enrollOnly.items.map((i) => i.learnAccepted)).toEqual([0, 0]);
  });

  it('spreads one hour over at most 16 shards and sums them exactly; the window drops older hours', async () => {
    const storeId = 'ids_shards';
    const writers = [instance(11), instance(12)];
    const hour = hourOf(NOW);
    const increments = (count: number, at: number) =>
      Array.from({ length: count }, () => ({
        storeId,
        hour: at,
        country: 'DE',
        gatewayId: 'gw_x',
        purpose: 'authenticate',
        count: 'accepted' as const,
      }));
    // One increment per write, as many stream batches would do, from two consumer instances.
    for (let i = 0; i < 60; i++) await writers[i % 2]!.add(increments(1, hour));
    await writers[0]!.add(increments(5, hour - 30));
    const items = (await table.scanAll()).filter((i) => i.pk === `ROUTESTATS#${storeId}`);
    const currentHour = items.filter((i) => String(i.sk).startsWith(String(hour).padStart(8, '0')));
    expect(currentHour.length).toBeGreaterThan(1);
    expect(currentHour.length).toBeLessThanOrEqual(DELIVERY_STATS_SHARDS);
    expect(items.every((i) => i.storeId === storeId && typeof i.ttl === 'number')).toBe(true);

    const [one, two] = await Promise.all([
      instance(21).snapshot(storeId, query),
      instance(22).snapshot(storeId, { ...query, windowHours: 48 }),
    ]);
    expect(one.items[0]).toMatchObject({ accepted: 60, learnAccepted: 60 });
    expect(two.items[0]).toMatchObject({ accepted: 65 });
  });

  it('a sending instance never waits for a read: unmeasured until its snapshot arrives, then at most a minute old', async () => {
    const storeId = 'ids_cached';
    const writer = instance(31);
    const add = () =>
      writer.add([
        {
          storeId,
          hour: hourOf(clock.now().getTime()),
          country: 'FR',
          gatewayId: 'gw_y',
          purpose: 'authenticate',
          count: 'accepted',
        },
      ]);
    await add();
    const sending = new DeliveryStatsTable(table.documents, table.tableName, clock, seededRandom(32));
    const now = () => ({ ...query, now: clock.now().getTime() });
    expect((await sending.snapshot(storeId, now())).items).toEqual([]);
    await sending.read(storeId, now());
    // The background read has landed by the next send.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await sending.snapshot(storeId, now())).items[0]).toMatchObject({ accepted: 1 });
    await add();
    expect((await sending.snapshot(storeId, now())).items[0]).toMatchObject({ accepted: 1 });
    clock.advance(61_000);
    await sending.snapshot(storeId, now());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await sending.snapshot(storeId, now())).items[0]).toMatchObject({ accepted: 2 });
  });
});
