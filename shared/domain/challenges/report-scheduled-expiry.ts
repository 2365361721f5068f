import type { ExpiryCheck } from './report-expiry.ts';
import type { ReportExpiry } from './report-expiry.ts';
import type { ScheduleExpiryReport } from './schedule-expiry-report.ts';

/**
 * Deployed, the scheduled check: reports the expiry (at most once, whoever runs it and however late), and
 * for a challenge still open, because a resend moved its expiry, schedules the next check after that one.
 */
export class ReportScheduledExpiry {
  constructor(private readonly deps: { report: ReportExpiry; schedule: ScheduleExpiryReport }) {}

  async run(storeId: string, challengeId: string): Promise<ExpiryCheck> {
    const check = await this.deps.report.run(challengeId);
    if (check.kind === 'later') await this.deps.schedule.run(storeId, challengeId, check.at);
    return check;
  }
}
