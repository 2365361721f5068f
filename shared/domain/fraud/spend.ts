import type { SpendLimits } from '../identity-stores/identity-store.ts';

/** Money is summed in integer millionths of the currency unit, so 3 × 0.05 is exactly 0.15. */
export const toMillionths = (amount: number): number => Math.round(amount * 1_000_000);

/** A send's estimated cost: the rendered message's segments times its country's price per segment. */
export function estimatedCost(limits: SpendLimits, country: string | undefined, segments: number): number {
  const own = country === undefined ? undefined : limits.pricePerSegment[country];
  const price = own ?? limits.pricePerSegment.default ?? 0;
  return toMillionths(price) * segments;
}

/** The day's budget of the number's country: its own entry, else `default`, else none. */
export function countryBudget(limits: SpendLimits, country: string | undefined): number | null {
  const budgets = limits.countryDailyBudget;
  if (!budgets) return null;
  const budget = (country === undefined ? undefined : budgets[country]) ?? budgets.default;
  return budget === undefined ? null : toMillionths(budget);
}
