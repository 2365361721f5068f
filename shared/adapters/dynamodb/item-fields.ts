/** The versioned fields every admin item of a store carries, as stored. */
export interface StoreItemFields {
  id: string;
  storeId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Reads those fields from an item; the entity's own fields are the caller's. */
export function storeItemFields(item: Record<string, unknown>): StoreItemFields {
  const { id, storeId, name, createdAt, updatedAt, version } = item as unknown as StoreItemFields;
  return { id, storeId, name, createdAt, updatedAt, version };
}
