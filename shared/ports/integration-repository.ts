import type { Integration } from '../domain/integrations/integration.ts';
import type { Page, PageRequest } from './gateway-repository.ts';

export interface IntegrationRepository {
  /** Throws NotFound when the integration's store does not exist (checked in the same write). */
  create(integration: Integration): Promise<void>;
  get(id: string): Promise<Integration | undefined>;
  listByStore(storeId: string, page: PageRequest): Promise<Page<Integration>>;
  /** Throws VersionMismatch when the stored version is not `expectedVersion`. */
  update(next: Integration, expectedVersion: number): Promise<void>;
  /**
   * Marks the integration's hook secret rotated at `at` (its secret lives in the secret store): the
   * table write that an admin's rotation commits its audit record with. Throws NotFound when missing.
   */
  secretRotated(storeId: string, id: string, at: string): Promise<void>;
  /** Throws NotFound when missing or of another store, VersionMismatch on a failed `expectedVersion`. */
  delete(storeId: string, id: string, expectedVersion?: number): Promise<void>;
}
