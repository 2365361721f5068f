import type { ApiKeyRecord } from '../domain/api-keys/api-key.ts';

export interface ApiKeyRepository {
  /** Throws NotFound when the key's store does not exist (checked in the same write). */
  create(key: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  listByStore(storeId: string): Promise<ApiKeyRecord[]>;
  /** Throws NotFound when the key does not exist or belongs to another store. */
  delete(storeId: string, id: string): Promise<void>;
  /** Sets lastUsedAt only if it is older than `staleBefore`, so concurrent requests write at most once. */
  touch(id: string, at: string, staleBefore: string): Promise<void>;
}
