import * as z from 'zod';
import { ID_PATTERN } from '../domain/ids.ts';
import { PHONE_INPUT_PATTERN } from '../domain/phone-input.ts';
import { ID_MAX, int } from './bounds.ts';

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const resourceId = z.string().max(ID_MAX).regex(ID_PATTERN, 'is not a valid id');

/** `{storeId}` of every route under a store: here, not with the store's settings, so those routes bundle only this. */
export const storeParams = z.object({ storeId: resourceId });

export const phoneNumber = z
  .string()
  .max(16)
  .regex(PHONE_INPUT_PATTERN, 'must be an international number: +447079692712 or 447079692712');

export const pageQuery = z.object({
  limit: z.coerce.number().pipe(int(1, 100)).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});

export const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(
    /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/,
    'must be a host name or IP address',
  );
