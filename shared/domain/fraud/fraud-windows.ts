import type { CounterWindow } from '../sending/send-windows.ts';

/** The windows a send counts on, each with its per-item maximum; `shards` > 1 for the hot keys. */
export interface PlannedWindow {
  window: CounterWindow;
  shards: number;
  /** Counted for a challenge until it is approved (then taken off again). */
  unverified: boolean;
  /** Spend limits are enforced in every mode; the fraud guard only in `enforce`. */
  budget: boolean;
}

/** The windows of one send, decided before anything is written (send-plan.ts). */
export interface FraudPlan {
  planned: PlannedWindow[];
  /** What the challenge remembers, so that its approval takes these sends off the count of their hour. */
  unverified: CounterWindow[];
}

/** The window of another shard of the same key. */
export function onShard(window: CounterWindow, shard: number): CounterWindow {
  return { ...window, shard };
}

/** The spend budgets among a send's windows: what each provider attempt is charged on (not per send). */
export function isBudgetWindow(window: CounterWindow): boolean {
  return window.limit === 'storeSpendPerDay' || window.limit === 'countrySpendPerDay';
}

/**
 * What a first provider attempt holds, for the attempt ledger to refund if the provider refuses it: its
 * own counts and the budgets it was charged. The fraud guard's velocity counts are the send's, not the
 * attempt's: they stay.
 */
export function withBudgetCharges(
  counts: readonly CounterWindow[],
  fraud: { taken: readonly CounterWindow[] },
): CounterWindow[] {
  return [...counts, ...fraud.taken.filter(isBudgetWindow)];
}
