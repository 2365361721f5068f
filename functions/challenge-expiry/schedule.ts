import * as z from 'zod';
import { asyncHandler } from '../../shared/observability/async-handler.ts';
import { expiryReports } from '../../shared/runtime/wiring/expiry-reports.ts';

/** The bus's `challenge.created` event: `detail` is the event line (eventbridge-publisher.ts). */
const event = z.object({
  detail: z.object({
    data: z.object({
      storeId: z.string().min(1),
      challengeId: z.string().min(1),
      expiresAt: z.iso.datetime(),
    }),
  }),
});

/**
 * Run by the bus rule on `challenge.created` (asynchronously): schedules that challenge's expiry check.
 * A failure throws, so Lambda retries it and then keeps it in the failure queue, which alarms.
 */
export const handler = asyncHandler('expiry schedule', event, { scheduled: false }, async ({ detail }) => {
  const reports = expiryReports();
  if (!reports) throw new Error('expiry reports are not configured (EXPIRY_SCHEDULE_GROUP)');
  await reports.schedule.run(detail.data.storeId, detail.data.challengeId, Date.parse(detail.data.expiresAt));
  return { scheduled: true };
});
