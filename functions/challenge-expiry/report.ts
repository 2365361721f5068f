import * as z from 'zod';
import type { ExpiryCheck } from '../../shared/domain/challenges/report-expiry.ts';
import { asyncHandler } from '../../shared/observability/async-handler.ts';
import { expiryReports } from '../../shared/runtime/wiring/expiry-reports.ts';

/** What each one-time schedule passes (eventbridge-expiry-scheduler.ts). */
const event = z.object({ storeId: z.string().min(1), challengeId: z.string().min(1) });

/**
 * Run by a challenge's one-time schedule (asynchronously): reports its expiry at most once; a late or
 * repeated run finds the mark set, or another ending, and emits nothing.
 */
export const handler = asyncHandler(
  'expiry report',
  event,
  { kind: 'done' } as ExpiryCheck,
  async ({ storeId, challengeId }) => {
    const reports = expiryReports();
    if (!reports) throw new Error('expiry reports are not configured (EXPIRY_SCHEDULE_GROUP)');
    // asyncHandler puts the event on the bus before the function ends (a frozen process would lose it).
    return reports.report.run(storeId, challengeId);
  },
);
