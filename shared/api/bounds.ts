import * as z from 'zod';

/**
 * Bounded building blocks: every string, array and integer of the contract carries its limit, which
 * zod enforces on requests (and on answers, in tests) and the OpenAPI document publishes.
 */
const INT32_MAX = 2_147_483_647;

export const int = (min: number, max: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .meta({ format: min >= -INT32_MAX - 1 && max <= INT32_MAX ? 'int32' : 'int64' });

export const str = (max: number) => z.string().max(max);

/** Ids the service makes (`gw_…`, `is_…`): a prefix and 26 base32 characters. */
export const ID_MAX = 64;
export const idString = str(ID_MAX);
export const ids = (max: number) => z.array(idString).max(max);

/** Free text in answers (urls, templates, details). */
export const longText = str(4096);

/** ISO-8601 UTC timestamps as `Date.toISOString()` writes them. */
export const timestamp = z
  .string()
  .max(32)
  .meta({ format: 'date-time', example: '2026-11-22T10:30:00.000Z' });
