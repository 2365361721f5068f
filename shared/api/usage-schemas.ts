import * as z from 'zod';
import { isUtcDay, USAGE_GROUPINGS } from '../domain/usage/usage-report.ts';
import { int, str, timestamp } from './bounds.ts';

const day = z
  .string()
  .max(10)
  .refine(isUtcDay, 'must be a UTC day as YYYY-MM-DD')
  .meta({ format: 'date', example: '2026-12-06' });

export const usageQuery = z.object({
  from: day.optional().meta({ description: 'First UTC day, inclusive; default: 6 days before `to`' }),
  to: day.optional().meta({ description: 'Last UTC day, inclusive; default: today' }),
  groupBy: z.enum(USAGE_GROUPINGS).optional().meta({ description: 'Default `day`' }),
});

const count = int(0, Number.MAX_SAFE_INTEGER);
const money = z.number().min(0).meta({ description: "In the store's currency, at most 6 decimals" });

const usageFields = {
  sends: count.meta({ description: 'Messages handed to gateways (test numbers excluded)' }),
  accepted: count.meta({ description: 'Messages a gateway accepted' }),
  delivered: count.meta({ description: 'Messages with a delivered receipt' }),
  failed: count.meta({ description: 'Messages with a failed or undelivered receipt' }),
  challenges: count.meta({ description: 'Challenges with at least one accepted message' }),
  approved: count.meta({ description: 'Of those, the approved ones' }),
  conversionRate: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .meta({ description: 'approved / challenges, half-up to 6 decimals; null when 0 challenges' }),
  estimatedCost: money,
  reportedCost: money.meta({ description: 'What providers reported in the store currency' }),
  costPerApproval: money
    .nullable()
    .meta({ description: 'estimatedCost / approved; null when nothing was approved' }),
  channels: z.strictObject({ sms: count, voice: count }).meta({ description: 'Sends per channel' }),
};

export const usageSchema = z
  .strictObject({
    currency: str(3),
    from: str(10),
    to: str(10),
    groupBy: z.enum(USAGE_GROUPINGS),
    items: z.array(z.strictObject({ key: str(64), ...usageFields })).max(100_000),
    totals: z.strictObject(usageFields),
    asOf: timestamp.meta({ description: 'The time the counters were read at' }),
  })
  .meta({ id: 'Usage', description: "A store's usage over UTC days, from pre-aggregated counters" });
