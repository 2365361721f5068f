import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler as report } from '../../functions/challenge-expiry/report.ts';
import { handler as schedule } from '../../functions/challenge-expiry/schedule.ts';
import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import { ReportExpiry } from '../../shared/domain/challenges/report-expiry.ts';
import { ReportScheduledExpiry } from '../../shared/domain/challenges/report-scheduled-expiry.ts';
import {
  EXPIRY_CHECK_DELAY_MS,
  ScheduleExpiryReport,
} from '../../shared/domain/challenges/schedule-expiry-report.ts';
import type { EventData, EventType } from '../../shared/domain/events/event-types.ts';
import type { ExpiryCheck, ExpiryScheduler } from '../../shared/ports/expiry-scheduler.ts';
import type { EventLog } from '../../shared/domain/events/event-log.ts';
import { EVENTS, useContext } from '../../shared/runtime/context.ts';
import { unitContext } from '../support/unit-context.ts';
import { events as eventsFeature } from '../../shared/runtime/wiring/events.ts';
import { expiryReports } from '../../shared/runtime/wiring/expiry-reports.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';

const T0 = Date.UTC(2026, 11, 2, 9);
const EXPIRES = T0 + 300_000;
const context = { functionName: 'expiry', awsRequestId: 'req-1' } as Context;

/** A scheduler that keeps each check once, as Scheduler keeps one schedule per name. */
class RecordingScheduler implements ExpiryScheduler {
  readonly checks = new Map<string, ExpiryCheck>();
  fail = false;
  async schedule(check: ExpiryCheck): Promise<void> {
    if (this.fail) throw new Error('Scheduler unavailable');
    this.checks.set(`${check.challengeId}@${check.at}`, check);
  }
}

let ports: MemoryChallengePorts;
let clock: ManualClock;
let scheduler: RecordingScheduler;
let emitted: { type: EventType; data: EventData }[];
let settledCalls: number;

function challenge(id: string, changes: Partial<ChallengeRecord> = {}): ChallengeRecord {
  const record: ChallengeRecord = {
    id,
    storeId: 'ids_1',
    userId: null,
    purpose: 'verify-phone',
    phone: '+447400123456',
    codes: { h1: EXPIRES },
    tried: {},
    triedAt: {},
    attempts: 0,
    maxAttempts: 5,
    sends: 1,
    lastSentAt: T0,
    expiresAt: EXPIRES,
    createdAt: new Date(T0).toISOString(),
    factorFailuresAtIssue: 0,
    factorLastUsedAt: null,
    ...changes,
  };
  ports.challengeItems.set(id, record);
  return record;
}

beforeEach(() => {
  ports = new MemoryChallengePorts();
  clock = new ManualClock(T0);
  scheduler = new RecordingScheduler();
  emitted = [];
  settledCalls = 0;
  const events = {
    emit: (type: EventType, data: EventData) => void emitted.push({ type, data }),
    settled: async () => void settledCalls++,
  };
  const expiry = new ReportExpiry({ challenges: ports.challenges, clock, events });
  const scheduleReport = new ScheduleExpiryReport({ scheduler });
  const ctx = unitContext();
  eventsFeature.provide(ctx, { log: events as unknown as EventLog });
  // The slot the function's handler settles before it returns (asyncHandler, event-hooks.ts).
  ctx.once(EVENTS, () => ({ log: events }));
  expiryReports.provide(ctx, {
    schedule: scheduleReport,
    report: new ReportScheduledExpiry({ report: expiry, schedule: scheduleReport }),
  });
  useContext(ctx);
});
afterEach(() => useContext(undefined));

const created = (data: Record<string, unknown>) => ({
  version: '0',
  source: 'sms-mfa',
  'detail-type': 'challenge.created',
  detail: { id: 'evt_1', type: 'challenge.created', timestamp: new Date(T0).toISOString(), data },
});
const moveTo = (ms: number) => clock.advance(ms - clock.now().getTime());
const failures = () => emitted.filter((e) => e.type === 'challenge.failed');

describe('deployed expiry reports: the schedule function (bus rule on challenge.created)', () => {
  it('schedules one check a minute after the expiry, with the ids; a repeated event is the same check', async () => {
    const event = created({
      storeId: 'ids_1',
      challengeId: 'ch_a',
      purpose: 'verify-phone',
      maskedPhone: '+44*******456',
      expiresAt: new Date(EXPIRES).toISOString(),
    });
    expect(await schedule(event, context)).toEqual({ scheduled: true });
    expect(await schedule(event, context)).toEqual({ scheduled: true });
    expect([...scheduler.checks.values()]).toEqual([
      { storeId: 'ids_1', challengeId: 'ch_a', at: EXPIRES + EXPIRY_CHECK_DELAY_MS },
    ]);
    expect(EXPIRY_CHECK_DELAY_MS).toBe(60_000);
  });

  it('drops a malformed event (retrying cannot fix it) and throws when scheduling fails, so Lambda retries', async () => {
    expect(await schedule(created({ storeId: 'ids_1', challengeId: 'ch_a' }), context)).toEqual({
      scheduled: false,
    });
    expect(await schedule({ detail: 'x' }, context)).toEqual({ scheduled: false });
    expect(scheduler.checks.size).toBe(0);
    scheduler.fail = true;
    const good = created({
      storeId: 'ids_1',
      challengeId: 'ch_a',
      expiresAt: new Date(EXPIRES).toISOString(),
    });
    await expect(schedule(good, context)).rejects.toThrow('Scheduler unavailable');
  });
});

describe('deployed expiry reports: the report function (a challenge’s one-time schedule)', () => {
  const input = (challengeId: string) => ({ storeId: 'ids_1', challengeId });

  it('reports an expired open challenge once, and the event is published before the function ends', async () => {
    challenge('ch_a');
    moveTo(EXPIRES + EXPIRY_CHECK_DELAY_MS);
    const [first, second] = await Promise.all([
      report(input('ch_a'), context),
      report(input('ch_a'), context),
    ]);
    expect([first, second].map((r) => r.kind).sort()).toEqual(['done', 'reported']);
    // Hours late (Lambda's retries), it still emits nothing more.
    clock.advance(3_600_000);
    expect(await report(input('ch_a'), context)).toEqual({ kind: 'done' });
    expect(failures()).toEqual([
      {
        type: 'challenge.failed',
        data: expect.objectContaining({ storeId: 'ids_1', challengeId: 'ch_a', reason: 'expired' }),
      },
    ]);
    expect(settledCalls).toBe(3);
    expect(scheduler.checks.size).toBe(0);
  });

  it('emits nothing for a challenge approved, closed, locked out, or gone before its expiry', async () => {
    challenge('ch_approved', { tried: { h1: 0 }, triedAt: { h1: T0 + 10_000 }, attempts: 1 });
    challenge('ch_closed', { closedAt: T0 + 5_000, expiresAt: T0 + 5_000 });
    challenge('ch_used_up', { attempts: 5 });
    moveTo(EXPIRES + EXPIRY_CHECK_DELAY_MS);
    for (const id of ['ch_approved', 'ch_closed', 'ch_used_up', 'ch_gone'])
      expect(await report(input(id), context), id).toEqual({ kind: 'done' });
    expect(failures()).toEqual([]);
    expect(scheduler.checks.size).toBe(0);
  });

  it('a resend moved the expiry: no report yet, the next check is scheduled after the new expiry', async () => {
    challenge('ch_a', { expiresAt: EXPIRES + 120_000 });
    moveTo(EXPIRES + EXPIRY_CHECK_DELAY_MS);
    expect(await report(input('ch_a'), context)).toEqual({ kind: 'later', at: EXPIRES + 120_000 });
    expect(failures()).toEqual([]);
    expect([...scheduler.checks.values()]).toEqual([
      { storeId: 'ids_1', challengeId: 'ch_a', at: EXPIRES + 120_000 + EXPIRY_CHECK_DELAY_MS },
    ]);
    moveTo(EXPIRES + 120_000 + EXPIRY_CHECK_DELAY_MS);
    expect(await report(input('ch_a'), context)).toEqual({ kind: 'reported' });
    expect(failures()).toHaveLength(1);
  });

  it('ignores malformed input', async () => {
    expect(await report({ challengeId: 'ch_a' }, context)).toEqual({ kind: 'done' });
    expect(emitted).toEqual([]);
  });
});
