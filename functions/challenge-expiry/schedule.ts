import * as z from 'zod';
import { asyncHandler } from '../../shared/observability/async-handler.ts';
import { services } from '../../shared/runtime/container.ts';

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
  const { expiryReports } = await services();
  if (!expiryReports) throw new Error('expiry reports are not configured (EXPIRY_SCHEDULE_GROUP)');
  await expiryReports.schedule.run(
    detail.data.storeId,
    detail.data.challengeId,
    Date.parse(detail.data.expiresAt),
  );
  return { scheduled: true };
});
