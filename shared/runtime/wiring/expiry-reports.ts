import { EventBridgeExpiryScheduler } from '../../adapters/events/eventbridge-expiry-scheduler.ts';
import { ReportScheduledExpiry } from '../../domain/challenges/report-scheduled-expiry.ts';
import { ScheduleExpiryReport } from '../../domain/challenges/schedule-expiry-report.ts';
import { feature } from '../context.ts';
import { events } from './events.ts';

export interface ExpiryReports {
  schedule: ScheduleExpiryReport;
  report: ReportScheduledExpiry;
}

/** Deployed, in the expiry functions (the `schedules` strategy): schedules and runs expiry checks. */
export const expiryReports = feature('expiry reports', (ctx): ExpiryReports | undefined => {
  const target = ctx.config.expirySchedules;
  if (ctx.strategies.expiryReports !== 'schedules' || !target) return undefined;
  const schedule = new ScheduleExpiryReport({
    scheduler: new EventBridgeExpiryScheduler(ctx.aws.scheduler, target),
  });
  return { schedule, report: new ReportScheduledExpiry({ report: events(ctx).reportExpiry, schedule }) };
});
