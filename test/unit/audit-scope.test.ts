import { describe, expect, it } from 'vitest';
import {
  auditCommitted,
  auditIntentOf,
  pendingAudit,
  runAudited,
} from '../../shared/domain/audit/audit-scope.ts';
import { EVENT_ID_PREFIX } from '../../shared/domain/events/event.ts';
import { seededRandom } from '../../shared/ports/random.ts';
import { routes } from '../../shared/routes.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** The audit intent an admin route puts in request scope, and the one record made from it. */
const T0 = Date.UTC(2026, 11, 7, 4, 30);
const clock = new ManualClock(T0);
const ACTOR = 'arn:aws:iam::123456789012:user/ops';

describe('auditIntentOf', () => {
  it('takes the route’s ids, its type and which id names the subject', () => {
    expect(
      auditIntentOf(
        { type: 'admin.api-key.deleted', subject: 'keyId' },
        { storeId: 'ids_1', keyId: 'key_1' },
        ACTOR,
      ),
    ).toEqual({
      type: 'admin.api-key.deleted',
      actor: ACTOR,
      ids: { storeId: 'ids_1', keyId: 'key_1' },
      subject: 'keyId',
    });
  });

  it('writes a number range as a range, never a number; other values of that parameter as given', () => {
    const spec = { type: 'admin.block.deleted', subject: 'value', rangeParam: 'value' } as const;
    expect(auditIntentOf(spec, { storeId: 'ids_1', kind: 'prefix', value: '4474001' }, ACTOR).ids.value).toBe(
      '4474001*',
    );
    expect(auditIntentOf(spec, { storeId: 'ids_1', kind: 'country', value: 'GB' }, ACTOR).ids.value).toBe(
      'GB',
    );
  });

  it('every audited route names a subject that is one of its parameters, or the created item (a POST)', () => {
    for (const route of routes.filter((r) => r.operation.audit)) {
      const { subject } = route.operation.audit!;
      const inPath = route.path.includes(`{${subject}}`);
      expect(inPath || route.method === 'POST', route.id).toBe(true);
    }
  });
});

describe('the request’s audit record', () => {
  const intent = auditIntentOf(
    { type: 'admin.webhook.created', subject: 'webhookId' },
    { storeId: 'ids_1' },
    ACTOR,
  );

  it('is made once, named for the created item, with an event id and the clock’s time', async () => {
    const { record } = await runAudited(intent, clock, seededRandom(1), async () => {
      const first = pendingAudit('wh_new')!;
      expect(pendingAudit('wh_other')).toBe(first);
      auditCommitted(first);
      expect(pendingAudit('wh_other')).toBeUndefined();
    });
    expect(record).toEqual({
      id: expect.stringMatching(new RegExp(`^${EVENT_ID_PREFIX}_`)),
      type: 'admin.webhook.created',
      at: T0,
      data: { actor: ACTOR, storeId: 'ids_1', webhookId: 'wh_new' },
    });
  });

  it('a path parameter names the subject over the written item’s id', async () => {
    const deleted = auditIntentOf(
      { type: 'admin.webhook.deleted', subject: 'webhookId' },
      { storeId: 'ids_1', webhookId: 'wh_1' },
      ACTOR,
    );
    await runAudited(deleted, clock, seededRandom(2), async () => {
      expect(pendingAudit('wh_else')?.data).toEqual({ actor: ACTOR, storeId: 'ids_1', webhookId: 'wh_1' });
    });
  });

  it('no record when nothing committed it, and none outside an admin write', async () => {
    const { record } = await runAudited(intent, clock, seededRandom(3), async () => {
      pendingAudit('wh_refused');
    });
    expect(record).toBeUndefined();
    expect(pendingAudit('wh_x')).toBeUndefined();
  });

  it('work the request started and that runs after its answer carries no record', async () => {
    let later: Promise<unknown> = Promise.resolve();
    const { record } = await runAudited(intent, clock, seededRandom(4), async () => {
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => pendingAudit('wh_late'));
    });
    expect(record).toBeUndefined();
    expect(await later).toBeUndefined();
  });

  it('concurrent requests keep their own records', async () => {
    const other = auditIntentOf(
      { type: 'admin.api-key.created', subject: 'keyId' },
      { storeId: 'ids_2' },
      'b',
    );
    const run = (i: typeof intent, id: string) =>
      runAudited(i, clock, seededRandom(id.length), async () => {
        const record = pendingAudit(id)!;
        await new Promise((resolve) => setImmediate(resolve));
        auditCommitted(record);
      });
    const [a, b] = await Promise.all([run(intent, 'wh_a'), run(other, 'key_b')]);
    expect(a.record?.data).toEqual({ actor: ACTOR, storeId: 'ids_1', webhookId: 'wh_a' });
    expect(b.record?.data).toEqual({ actor: 'b', storeId: 'ids_2', keyId: 'key_b' });
  });
});
