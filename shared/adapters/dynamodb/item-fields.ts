import * as z from 'zod/mini';
import { keyOf, parseItem } from './parse-item.ts';

/** The versioned fields every admin item of a store carries, as stored. */
export interface StoreItemFields {
  id: string;
  storeId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const storeItemFieldsSchema: z.ZodMiniType<StoreItemFields> = z.object({
  id: z.string(),
  storeId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

/** Reads those fields from an item (`kind` names it in the error when they are not there); the entity's own fields are the caller's. */
export function storeItemFields(item: Record<string, unknown>, kind = 'store'): StoreItemFields {
  return parseItem(`${kind} (store fields)`, storeItemFieldsSchema, item, keyOf(item));
}
