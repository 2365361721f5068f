import { EventBridgeExpiryScheduler } from '../../adapters/events/eventbridge-expiry-scheduler.ts';
import { ReportScheduledExpiry } from '../../domain/challenges/report-scheduled-expiry.ts';
import { ScheduleExpiryReport } from '../../domain/challenges/schedule-expiry-report.ts';
import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { ReportExpiry } from '../../domain/challenges/report-expiry.ts';
import { feature } from '../context.ts';
import { events } from './events.ts';

export interface ExpiryReports {
  schedule: ScheduleExpiryReport;
  report: ReportScheduledExpiry;
}

/** Reports a challenge's expiry (once): the deployed reporter's work, and local mode's in-process watch's. */
export const reportExpiry = /* @__PURE__ */ feature(
  'report expiry',
  (ctx) =>
    new ReportExpiry({
      challenges: new ChallengeStoreTable(ctx.sidePathDocuments(), ctx.config.tableName),
      clock: ctx.clock,
      events: events(ctx).log,
    }),
);

/** Deployed, in the expiry functions (the `schedules` strategy): schedules and runs expiry checks. */
export const expiryReports = /* @__PURE__ */ feature('expiry reports', (ctx): ExpiryReports | undefined => {
  const target = ctx.config.expirySchedules;
  if (ctx.strategies.expiryReports !== 'schedules' || !target) return undefined;
  const schedule = new ScheduleExpiryReport({
    scheduler: new EventBridgeExpiryScheduler(ctx.aws.scheduler, target),
  });
  return { schedule, report: new ReportScheduledExpiry({ report: reportExpiry(ctx), schedule }) };
});
