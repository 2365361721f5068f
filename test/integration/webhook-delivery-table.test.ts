import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDeliveryTable } from '../../shared/adapters/dynamodb/webhook-delivery-table.ts';
import { newEvent, type DomainEvent } from '../../shared/domain/events/event.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';

let table: TestTable;
let log: WebhookDeliveryTable;
beforeAll(async () => {
  table = await createTestTable();
  log = new WebhookDeliveryTable(table.documents, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

const eventAt = (ms: number, storeId = 'ids_1'): DomainEvent =>
  newEvent('challenge.created', { storeId, challengeId: 'ch_1' }, new ManualClock(ms), cryptoRandom);

describe('WebhookDeliveryTable against DynamoDB Local', () => {
  it('opens once, keeps the event exactly, expires 7 days after it, lists newest first in pages', async () => {
    const events = [eventAt(1_000), eventAt(3_000), eventAt(2_000)];
    for (const event of events)
      await log.open('ids_1', 'wh_a', event, Date.parse(event.timestamp) + 7 * 86_400_000);
    // A redelivered queue message opens it again: nothing changes.
    await log.claim('ids_1', 'wh_a', events[0]!.id, 5, 0);
    await log.finish('ids_1', 'wh_a', events[0]!.id, {
      status: 'failed',
      at: 'x',
      statusCode: 500,
      nextAttemptAt: 'y',
    });
    await log.open('ids_1', 'wh_a', events[0]!, 0);
    expect(await log.get('ids_1', 'wh_a', events[0]!.id)).toEqual({
      id: events[0]!.id,
      storeId: 'ids_1',
      webhookId: 'wh_a',
      eventType: 'challenge.created',
      event: events[0],
      status: 'failed',
      attempts: 1,
      lastAttemptAt: 'x',
      lastStatusCode: 500,
      nextAttemptAt: 'y',
    });
    const raw = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'WHDELIVERY#ids_1#wh_a', sk: events[1]!.id } }),
    );
    expect(raw.Item!.ttl).toBe(Math.ceil((3_000 + 7 * 86_400_000) / 1000));

    const first = await log.list('ids_1', 'wh_a', { limit: 2 });
    expect(first.items.map((d) => d.id)).toEqual([events[1]!.id, events[2]!.id]);
    const second = await log.list('ids_1', 'wh_a', { limit: 2, nextToken: first.nextToken! });
    expect(second.items.map((d) => d.id)).toEqual([events[0]!.id]);
    expect(second.nextToken).toBeUndefined();
    // Another webhook's partition, and a token of this one cannot read it.
    expect((await log.list('ids_1', 'wh_b', { limit: 10 })).items).toEqual([]);
    await expect(log.list('ids_1', 'wh_b', { limit: 1, nextToken: first.nextToken! })).rejects.toThrow();
    expect(await log.get('ids_2', 'wh_a', events[1]!.id)).toBeUndefined();
  });

  it('one claim at a time until it ends or goes stale; finish drops what no longer applies', async () => {
    const event = eventAt(10_000);
    expect(await log.claim('ids_1', 'wh_c', event.id, 1, 0)).toBe('missing');
    await log.open('ids_1', 'wh_c', event, 20_000);
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => log.claim('ids_1', 'wh_c', event.id, 100, 50)),
    );
    expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c === 'busy')).toHaveLength(7);
    // Claimed at 100: stale only for a claim that takes claims before 101 as lost.
    expect(await log.claim('ids_1', 'wh_c', event.id, 200, 100)).toBe('busy');
    expect(await log.claim('ids_1', 'wh_c', event.id, 200, 101)).toBe('claimed');
    await log.finish('ids_1', 'wh_c', event.id, {
      status: 'failed',
      at: 'a',
      statusCode: 503,
      nextAttemptAt: 'b',
    });
    await log.claim('ids_1', 'wh_c', event.id, 300, 0);
    await log.finish('ids_1', 'wh_c', event.id, { status: 'dead', at: 'c' });
    const dead = await log.get('ids_1', 'wh_c', event.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 2, lastAttemptAt: 'c' });
    for (const gone of ['lastStatusCode', 'nextAttemptAt', 'inFlightSince'])
      expect(dead).not.toHaveProperty(gone);
    expect(await log.claim('ids_1', 'wh_c', event.id, 400, 0)).toBe('claimed');
    // Never made up from an attempt alone.
    await log.finish('ids_1', 'wh_c', 'evt_unknown', { status: 'succeeded', at: 'd', statusCode: 200 });
    expect(await log.get('ids_1', 'wh_c', 'evt_unknown')).toBeUndefined();
  });
});
