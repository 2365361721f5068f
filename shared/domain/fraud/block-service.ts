import type { Clock } from '../../ports/clock.ts';
import type { FraudCounterStates } from '../../ports/fraud-blocks.ts';
import type { IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { activeBlocks, blockValue, type Block, type BlockKind } from './blocks.ts';

export type BlockView = Omit<Block, 'items'>;

/** The blocks routes: the store's active fraud-guard blocks, and lifting one for the rest of its window. */
export class BlockService {
  constructor(
    private readonly deps: {
      stores: Pick<IdentityStoreRepository, 'get'>;
      counters: FraudCounterStates;
      clock: Clock;
    },
  ) {}

  async list(storeId: string): Promise<BlockView[]> {
    return (await this.blocks(await this.store(storeId))).map(({ items: _items, ...view }) => view);
  }

  async lift(storeId: string, kind: BlockKind, value: string): Promise<void> {
    const subject = blockValue(kind, value);
    if (subject === null) throw new ValidationFailed([{ path: 'value', message: `is not a ${kind} value` }]);
    const block = (await this.blocks(await this.store(storeId))).find(
      (b) => b.kind === kind && b.value === subject,
    );
    if (!block) throw new NotFound('The block');
    await this.deps.counters.lift(storeId, block.items);
  }

  private async store(storeId: string): Promise<IdentityStore> {
    const store = await this.deps.stores.get(storeId);
    if (!store) throw new NotFound('The identity store');
    return store;
  }

  private async blocks(store: IdentityStore): Promise<Block[]> {
    const states = await this.deps.counters.list(store.id);
    return activeBlocks(store.fraudGuard, states, this.deps.clock.now().getTime());
  }
}
