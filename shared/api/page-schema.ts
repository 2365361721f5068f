import * as z from 'zod';
import { str } from './bounds.ts';

/** A page of a list's items (response-schemas.ts re-exports it): the admin routes' lists bundle only this. */
export const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item).max(100), nextToken: str(2048).optional() });
