import * as z from 'zod';
import { isCountryCode } from '../domain/countries.ts';

/*
 * Shared by the identity store and gateway schemas, apart from the store's: a gateway route then
 * bundles these two helpers, not every store setting's schema.
 */

/** Money in currency units, at most 6 decimals (the domain sums integer millionths). */
export const amount = (max: number) =>
  z
    .number()
    .min(0)
    .max(max)
    .refine((value) => Math.abs(value * 1e6 - Math.round(value * 1e6)) < 1e-6, 'at most 6 decimals');

/** A map keyed by `default` or an ISO country; null entries remove one (the domain keeps `default`). */
export const countryMap = (value: z.ZodType<number>) =>
  z
    .record(z.string().max(7), value.nullable())
    .refine((map) => Object.keys(map).length <= 251, 'at most 251 entries')
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (key !== 'default' && !isCountryCode(key))
          ctx.addIssue({ code: 'custom', path: [key], message: 'must be "default" or an ISO country code' });
      }
    })
    .meta({ maxProperties: 251 });
