import type { IdentityStore } from '../domain/identity-stores/identity-store.ts';
import type { Page, PageRequest } from './gateway-repository.ts';

/**
 * Identity store persistence. Linking is part of every write: the store item and the gateways'
 * `linkedIdentityStoreIds` change in one transaction, and linking a gateway that no longer exists fails it.
 */
export interface IdentityStoreRepository {
  /** Throws UnknownGateways when a linked gateway does not exist. */
  create(store: IdentityStore): Promise<void>;
  get(id: string): Promise<IdentityStore | undefined>;
  list(page: PageRequest): Promise<Page<IdentityStore>>;
  /** Throws VersionMismatch, NotFound, or UnknownGateways. */
  update(next: IdentityStore, previous: IdentityStore): Promise<void>;
  /** Unlinks its gateways in the same transaction; conditional on the version read. Throws NotFound or VersionMismatch. */
  delete(store: IdentityStore): Promise<void>;
}

export class UnknownGateways extends Error {
  constructor(readonly gatewayIds: string[]) {
    super(`unknown gateways: ${gatewayIds.join(', ')}`);
  }
}
