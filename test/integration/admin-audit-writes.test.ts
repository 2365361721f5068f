import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../shared/adapters/dynamodb/audit-items.ts';
import { counterKey } from '../../shared/adapters/dynamodb/challenge-items.ts';
import { FraudCounterTable } from '../../shared/adapters/dynamodb/fraud-counter-table.ts';
import { storeKey } from '../../shared/adapters/dynamodb/store-key.ts';
import { ConditionsFailed } from '../../shared/adapters/dynamodb/transactions.ts';
import { WebhookTable } from '../../shared/adapters/dynamodb/webhook-table.ts';
import { pendingAudit, runAudited, type AuditIntent } from '../../shared/domain/audit/audit-scope.ts';
import type { CounterState } from '../../shared/domain/fraud/blocks.ts';
import type { WebhookRecord } from '../../shared/domain/webhooks/webhook.ts';
import { seededRandom } from '../../shared/ports/random.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

/**
 * Admin adapters' writes on DynamoDB Local, with an audit intent in scope (as the HTTP pipeline puts it):
 * the change and its `AUDIT#` record commit together or not at all, and outside an admin write nothing
 * is recorded.
 */
const T0 = Date.UTC(2026, 11, 7, 4);
let table: TestTable;
let webhooks: WebhookTable;
const clock = new ManualClock(T0);
const random = seededRandom(7);

beforeAll(async () => {
  table = await createTestTable();
  webhooks = new WebhookTable(table.documents, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

const intent = (storeId: string, webhookId?: string): AuditIntent => ({
  type: webhookId ? 'admin.webhook.deleted' : 'admin.webhook.created',
  actor: 'arn:aws:iam::123456789012:user/ops',
  ids: { storeId, ...(webhookId ? { webhookId } : {}) },
  subject: 'webhookId',
});

async function newStore(): Promise<string> {
  const storeId = `ids_${Math.random().toString(36).slice(2)}`;
  await table.documents.send(
    new PutCommand({ TableName: table.tableName, Item: { ...storeKey(storeId), id: storeId, version: 1 } }),
  );
  return storeId;
}
const webhook = (storeId: string, id = `wh_${Math.random().toString(36).slice(2)}`): WebhookRecord => ({
  id,
  storeId,
  url: 'https://hooks.example.com/in',
  eventTypes: [],
  secret: 'whsec_c2VjcmV0LW9mLXRoZS13ZWJob29r',
  createdAt: new Date(T0).toISOString(),
});
async function auditsOf(partition: string) {
  const result = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${partition}` },
    }),
  );
  return result.Items ?? [];
}

describe('an admin write and its audit record, in one transaction', () => {
  it('a create records the created item’s id, with the change; the record holds no secret', async () => {
    const storeId = await newStore();
    const record = webhook(storeId);
    const { record: audit } = await runAudited(intent(storeId), clock, random, () => webhooks.create(record));
    expect(audit?.data).toEqual({ actor: intent(storeId).actor, storeId, webhookId: record.id });
    const items = await auditsOf(storeId);
    expect(items).toEqual([
      {
        ...auditKey(audit!),
        entity: 'audit',
        id: audit!.id,
        type: 'admin.webhook.created',
        timestamp: new Date(T0).toISOString(),
        data: audit!.data,
      },
    ]);
    expect(JSON.stringify(items)).not.toContain(record.secret);
  });

  it('a refused write (no such webhook) records nothing, and the request has no record to publish', async () => {
    const storeId = await newStore();
    const { result, record } = await runAudited(intent(storeId, 'wh_none'), clock, random, () =>
      webhooks.delete(storeId, 'wh_none'),
    );
    expect(result).toBe(false);
    expect(record).toBeUndefined();
    expect(await auditsOf(storeId)).toEqual([]);
  });

  it('a record that cannot be written stops the write: the webhook is still there, its secret unchanged', async () => {
    const storeId = await newStore();
    const record = webhook(storeId);
    await webhooks.create(record);
    const work = async () => {
      // The record the write will carry (made once per request): its key is taken before the write.
      const audit = pendingAudit()!;
      await table.documents.send(
        new PutCommand({ TableName: table.tableName, Item: { ...auditKey(audit), entity: 'other' } }),
      );
      return webhooks.rotate(storeId, record.id, 'whsec_bmV3LXNlY3JldC1vZi10aGUtaG9vaw', T0 + 1);
    };
    const refused = await runAudited(intent(storeId, record.id), clock, random, work).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConditionsFailed);
    expect((refused as ConditionsFailed).first('audit')).toBeDefined();
    expect((await webhooks.get(storeId, record.id))?.secret).toBe(record.secret);
    const deleting = async () => {
      const audit = pendingAudit()!;
      await table.documents.send(
        new PutCommand({ TableName: table.tableName, Item: { ...auditKey(audit), entity: 'other' } }),
      );
      return webhooks.delete(storeId, record.id);
    };
    await expect(runAudited(intent(storeId, record.id), clock, random, deleting)).rejects.toBeInstanceOf(
      ConditionsFailed,
    );
    expect(await webhooks.get(storeId, record.id)).toBeDefined();
  });

  it('one record per request: a second write in the same request carries none', async () => {
    const storeId = await newStore();
    const first = webhook(storeId);
    const second = webhook(storeId);
    await runAudited(intent(storeId), clock, random, async () => {
      await webhooks.create(first);
      await webhooks.create(second);
    });
    expect((await auditsOf(storeId)).map((item) => item.data.webhookId)).toEqual([first.id]);
  });

  it('outside an admin write nothing is recorded', async () => {
    const storeId = await newStore();
    const record = webhook(storeId);
    await webhooks.create(record);
    expect(await webhooks.delete(storeId, record.id)).toBe(true);
    expect(await auditsOf(storeId)).toEqual([]);
  });

  it('lifting a block whose counter TTL already removed lifts the rest, with one record', async () => {
    const storeId = await newStore();
    const counters = new FraudCounterTable(table.documents, table.tableName);
    const window = { limit: 'countryPerHour', subject: 'GB', bucket: 1 } as const;
    const items: CounterState[] = [
      { window, count: 3, max: 3, until: T0 + 3_600_000, lifted: false },
      { window: { ...window, subject: 'FR' }, count: 3, max: 3, until: T0 + 3_600_000, lifted: false },
    ];
    const keyOf = (item: CounterState) =>
      counterKey(storeId, '-', { ...item.window, max: item.max, endsAt: item.until });
    // Only the first counter exists (the second has been removed by TTL).
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keyOf(items[0]!), count: 3 } }),
    );
    const lift = { ...intent(storeId), type: 'admin.block.deleted' as const, subject: 'value' };
    await runAudited(lift, clock, random, () => counters.lift(storeId, items));
    const lifted = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: keyOf(items[0]!) }),
    );
    expect(lifted.Item?.lifted).toBe(true);
    const gone = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: keyOf(items[1]!) }),
    );
    expect(gone.Item).toBeUndefined();
    expect((await auditsOf(storeId)).map((item) => item.type)).toEqual(['admin.block.deleted']);
  });
});
