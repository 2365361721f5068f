import * as z from 'zod';
import { asyncHandler } from '../../shared/observability/async-handler.ts';
import { replacementNotice } from '../../shared/runtime/wiring/replacement-notice.ts';

const event = z.object({ storeId: z.string().min(1), phone: z.string().regex(/^\+[1-9]\d{6,14}$/) });

/** Invoked asynchronously after an enrollment replaced a factor's number: tells the old number. */
export const handler = asyncHandler(
  'replacement notice',
  event,
  { sent: false },
  async ({ storeId, phone }) => {
    return { sent: await replacementNotice().send(storeId, phone) };
  },
);
