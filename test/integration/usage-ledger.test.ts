import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { SendHistoryTable } from '../../shared/adapters/dynamodb/send-history-table.ts';
import { usageFactsOf } from '../../shared/adapters/dynamodb/usage-stream.ts';
import { UsageCounterTable } from '../../shared/adapters/dynamodb/usage-counter-table.ts';
import { USAGE_SHARDS } from '../../shared/domain/usage/usage-counts.ts';
import { UsageProjection, type UsageFact } from '../../shared/domain/usage/usage-projection.ts';
import { UsageReports } from '../../shared/domain/usage/usage-report.ts';
import type { Random } from '../../shared/ports/random.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

/**
 * The usage ledger in DynamoDB Local: two projection instances (two clients, as two consumer
 * invocations) write the same groups at once on random shards; the reader sums every shard exactly,
 * and reads nothing but the store's counter partitions.
 */
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

const STORE = 'ids_usage';
const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02'];
const COUNTRIES = ['DE', 'GB'];
const GATEWAYS = ['gw_a', 'gw_b'];
const at = (day: string, hour: number) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:30:00Z`);

/** A draw that walks every shard: the test sees the sums spread, whatever the order of writes. */
function walkingRandom(start: number): Random {
  let next = start;
  return { bytes: (size) => Buffer.alloc(size), int: (max) => next++ % max };
}

function projection(seed: number) {
  const documents = createDocumentClient({ endpoint: table.endpoint });
  return new UsageProjection({
    counters: new UsageCounterTable(documents, table.tableName),
    random: walkingRandom(seed),
  });
}

/**
 * Per (day, country, gateway): 5 challenges, each a first message and a resend (both accepted, 0.02
 * each) and a refused attempt (no cost); 3 of the 5 approved; one delivered and one undelivered
 * receipt, each reporting 0.0125.
 */
function script(): { sends: UsageFact[]; later: UsageFact[] } {
  const sends: UsageFact[] = [];
  const later: UsageFact[] = [];
  for (const day of DAYS)
    for (const country of COUNTRIES)
      for (const gatewayId of GATEWAYS)
        for (let i = 0; i < 5; i++) {
          const challengeId = `ch_${day}_${country}_${gatewayId}_${i}`;
          const attempt = (hour: number, outcome: 'accepted' | 'refused') =>
            ({
              kind: 'attempt',
              storeId: STORE,
              challengeId,
              at: at(day, hour),
              country,
              gatewayId,
              channel: 'sms',
              outcome,
              cost: 20_000,
              test: false,
            }) as const;
          sends.push(attempt(1, 'accepted'), attempt(2, 'accepted'), attempt(3, 'refused'));
          if (i < 3) later.push({ kind: 'approved', storeId: STORE, challengeId });
          if (i < 2) {
            later.push({
              kind: 'receipt',
              storeId: STORE,
              sentAt: at(day, 1),
              country,
              gatewayId,
              status: i === 0 ? 'delivered' : 'undelivered',
              reportedCost: 12_500,
            });
          }
        }
  return { sends, later };
}

describe('usage ledger in DynamoDB Local', () => {
  it('two instances at once: exact sums per day, country and gateway, spread over the shards', async () => {
    const instances = [projection(0), projection(7)];
    const { sends, later } = script();
    // The first message of each challenge is applied before its resend (as the stream orders a
    // partition's records); everything else runs concurrently over both instances.
    const firsts = sends.filter((_, i) => i % 3 === 0);
    const rest = sends.filter((_, i) => i % 3 !== 0);
    await Promise.all(firsts.map((fact, i) => instances[i % 2]!.apply(fact)));
    await Promise.all([...rest, ...later].map((fact, i) => instances[i % 2]!.apply(fact)));
    // A test number's send and a relayed code's count nothing of a challenge.
    await instances[0]!.apply({ ...firsts[0]!, test: true } as UsageFact);
    await instances[1]!.apply({
      kind: 'attempt',
      storeId: STORE,
      at: at(DAYS[0]!, 5),
      country: 'GB',
      gatewayId: 'gw_a',
      channel: 'voice',
      outcome: 'accepted',
      cost: 100_000,
      test: false,
    });

    const reports = new UsageReports({
      counters: new UsageCounterTable(table.documents, table.tableName),
      stores: { get: async () => ({ spendLimits: { currency: 'USD' } }) },
      clock: new ManualClock(at('2026-12-02', 12)),
    });
    const byDay = await reports.report(STORE, { from: DAYS[0], to: DAYS[2] });
    // Three messages per challenge: 60 sends a day, 40 accepted (the refused ones cost nothing).
    const perDay = {
      sends: 60,
      accepted: 40,
      delivered: 4,
      failed: 4,
      challenges: 20,
      approved: 12,
      conversionRate: 0.6,
      estimatedCost: 0.8,
      reportedCost: 0.1,
      costPerApproval: 0.066667,
      channels: { sms: 60, voice: 0 },
    };
    expect(byDay.items).toEqual([
      {
        key: DAYS[0],
        ...perDay,
        sends: 61,
        accepted: 41,
        estimatedCost: 0.9,
        costPerApproval: 0.075,
        channels: { sms: 60, voice: 1 },
      },
      { key: DAYS[1], ...perDay },
      { key: DAYS[2], ...perDay },
    ]);
    expect(byDay.totals).toMatchObject({ sends: 181, challenges: 60, approved: 36, estimatedCost: 2.5 });

    const byGateway = await reports.report(STORE, { from: DAYS[0], to: DAYS[2], groupBy: 'gateway' });
    expect(byGateway.items.map((i) => [i.key, i.challenges, i.approved, i.sends])).toEqual([
      ['gw_a', 30, 18, 91],
      ['gw_b', 30, 18, 90],
    ]);
    const oneDay = await reports.report(STORE, { from: DAYS[1], to: DAYS[1], groupBy: 'country' });
    expect(oneDay.items.map((i) => [i.key, i.sends, i.challenges, i.conversionRate])).toEqual([
      ['DE', 30, 10, 0.6],
      ['GB', 30, 10, 0.6],
    ]);

    const counters = (await table.scanAll()).filter(
      (item) => String(item.pk).startsWith('USAGE#') && !String(item.pk).includes('#CH#'),
    );
    const shardsPerGroup = new Map<string, Set<string>>();
    for (const item of counters) {
      const shards = shardsPerGroup.get(String(item.sk)) ?? new Set<string>();
      shardsPerGroup.set(String(item.sk), shards.add(String(item.pk)));
    }
    // 12 groups, each spread over more than one shard and never over more than 16.
    expect(shardsPerGroup.size).toBe(12);
    for (const shards of shardsPerGroup.values()) {
      expect(shards.size).toBeGreaterThan(1);
      expect(shards.size).toBeLessThanOrEqual(USAGE_SHARDS);
    }
    // Every counter item is found by the store's deletion sweep.
    for (const item of counters) expect(item).toMatchObject({ storeId: STORE });
  });

  it('a read is one round of Queries on the store counter partitions, nothing else', async () => {
    const documents = createDocumentClient({ endpoint: table.endpoint });
    const seen: Array<{ command: string; input: Record<string, unknown> }> = [];
    documents.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push({ command: context.commandName ?? '?', input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize', name: 'recordRequests' },
    );
    const rows = await new UsageCounterTable(documents, table.tableName).read(STORE, DAYS[0]!, DAYS[2]!);
    expect(rows.length).toBeGreaterThan(12);
    expect(seen).toHaveLength(USAGE_SHARDS);
    for (const { command, input } of seen) {
      expect(command).toBe('QueryCommand');
      const values = input.ExpressionAttributeValues as Record<string, string>;
      expect(values[':pk']).toMatch(new RegExp(`^USAGE#${STORE}#\\d+$`));
      expect(input.IndexName).toBeUndefined();
    }
    expect(
      new Set(seen.map((s) => (s.input.ExpressionAttributeValues as Record<string, string>)[':pk'])).size,
    ).toBe(USAGE_SHARDS);
  });

  it('deployed: the stream records of a send, its receipt and its approval are the same facts', async () => {
    const now = at('2026-12-03', 9);
    const history = new SendHistoryTable(table.documents, table.tableName, () => now);
    const storeId = 'ids_stream';
    const challengeId = 'ch_stream_1';
    const sentAt = new Date(now).toISOString();
    const send = {
      at: sentAt,
      attempt: 1,
      gatewayId: 'gw_s',
      gatewayType: 'custom-http',
      providerMessageId: 'm-1',
      outcome: 'accepted' as const,
    };
    const summary = { purpose: 'authenticate', maskedPhone: '+49*********78', test: false };
    await history.recordSend(storeId, challengeId, send, summary, {
      country: 'DE',
      estimatedCost: 70_000,
      channel: 'sms',
    });
    const ref = {
      storeId,
      challengeId,
      sentAt,
      attempt: 1,
      gatewayId: 'gw_s',
      gatewayType: 'custom-http',
      providerMessageId: 'm-1',
      purpose: 'authenticate',
      maskedPhone: '+49*********78',
      country: 'DE',
    };
    const itemOf = async (sk: string) =>
      (await table.scanAll()).find(
        (i) => i.pk === `CHALLENGE#${challengeId}` && String(i.sk).startsWith(sk),
      )!;
    const inserted = await itemOf('SEND#');
    await history.markDelivery(ref, 'delivered', now + 5_000, 12_345);
    const delivered = await itemOf('SEND#');
    await history.recordEnd(storeId, challengeId, { status: 'approved', at: sentAt, attempts: 1 });
    const ended = await itemOf('END');
    const record = (eventName: 'INSERT' | 'MODIFY', next: object, before?: object): DynamoDBRecord => ({
      eventName,
      dynamodb: {
        NewImage: marshall(next, { removeUndefinedValues: true }) as never,
        ...(before ? { OldImage: marshall(before, { removeUndefinedValues: true }) as never } : {}),
      },
    });
    const facts = [
      ...usageFactsOf(record('INSERT', inserted)),
      ...usageFactsOf(record('MODIFY', delivered, inserted)),
      // A later change of a send that already had its status is no second receipt.
      ...usageFactsOf(record('MODIFY', { ...delivered, note: 1 }, delivered)),
      ...usageFactsOf(record('INSERT', ended)),
    ];
    expect(facts).toEqual([
      {
        kind: 'attempt',
        storeId,
        challengeId,
        at: now,
        country: 'DE',
        gatewayId: 'gw_s',
        channel: 'sms',
        outcome: 'accepted',
        cost: 70_000,
        test: false,
      },
      {
        kind: 'receipt',
        storeId,
        sentAt: now,
        country: 'DE',
        gatewayId: 'gw_s',
        status: 'delivered',
        reportedCost: 12_345,
      },
      { kind: 'approved', storeId, challengeId },
    ]);
    // The history never shows what the ledger keeps beside a send.
    const shown = await history.history(challengeId);
    expect(Object.keys(shown!.sends[0]!).sort()).toEqual(
      [
        'at',
        'attempt',
        'deliveredAt',
        'deliveryStatus',
        'gatewayId',
        'gatewayType',
        'outcome',
        'providerMessageId',
      ].sort(),
    );

    const usage = projection(3);
    for (const fact of facts) await usage.apply(fact);
    const report = await new UsageReports({
      counters: new UsageCounterTable(table.documents, table.tableName),
      stores: { get: async () => ({ spendLimits: { currency: 'USD' } }) },
      clock: new ManualClock(now),
    }).report(storeId, { from: '2026-12-03', to: '2026-12-03', groupBy: 'country' });
    expect(report.items).toEqual([
      {
        key: 'DE',
        sends: 1,
        accepted: 1,
        delivered: 1,
        failed: 0,
        challenges: 1,
        approved: 1,
        conversionRate: 1,
        estimatedCost: 0.07,
        reportedCost: 0.012345,
        costPerApproval: 0.07,
        channels: { sms: 1, voice: 0 },
      },
    ]);
  });
});
