import type { CounterState } from '../domain/fraud/blocks.ts';

/** The fraud guard's counter items, as the blocks routes see them. */
export interface FraudCounterStates {
  /** Every counter item of the store's prefix, country and client-address windows that has not expired. */
  list(storeId: string): Promise<CounterState[]>;
  /** Marks the items lifted: each takes every send until its window ends. */
  lift(storeId: string, items: readonly CounterState[]): Promise<void>;
}
