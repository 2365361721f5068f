import type { SecretStore } from '../../ports/secret-store.ts';
import type { StoreItems, SweepAgain } from '../../ports/store-items.ts';
import { integrationSecretName } from '../integrations/integration.ts';

/**
 * How long after a store's deletion a send that had already read the store can still write items of
 * it: an authorizer answer and a cached store read each admit it for up to 30 seconds, and the send
 * then runs to its function's 15-second timeout. Five minutes is well beyond that and leaves the second
 * pass ten minutes to finish inside api.md's 15.
 */
export const SWEEP_AGAIN_AFTER_SECONDS = 300;

export interface DeletedStoreSweepDeps {
  items: StoreItems;
  secrets: SecretStore;
  again: SweepAgain;
}

/**
 * api.md "A deleted store leaves nothing": the first pass runs on the delete, a second one once the
 * sends that were still running have written what they were going to write. Each pass deletes the
 * integrations' secrets before their items, so a pass that fails half-way still finds them next time.
 */
export class DeletedStoreSweep {
  constructor(private readonly deps: DeletedStoreSweepDeps) {}

  /** The first pass; it schedules the second. The number of items deleted. */
  async storeDeleted(storeId: string): Promise<number> {
    const deleted = await this.sweep(storeId);
    await this.deps.again.schedule(storeId, SWEEP_AGAIN_AFTER_SECONDS);
    return deleted;
  }

  /** One pass: the integrations' secrets, then every item. */
  async sweep(storeId: string): Promise<number> {
    const ids = await this.deps.items.integrationIds(storeId);
    await Promise.all(ids.map((id) => this.deps.secrets.delete(integrationSecretName(id))));
    return this.deps.items.sweep(storeId);
  }
}
