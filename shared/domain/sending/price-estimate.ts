/**
 * Indicative list prices per SMS segment in USD (public provider price lists, late 2026, rounded up):
 * what `code.sent` reports as `estimatedCost`. An estimate for dashboards and alerts, not a bill.
 */
const PER_SEGMENT_USD: Readonly<Record<string, number>> = {
  US: 0.0083,
  CA: 0.0083,
  GB: 0.04,
  IE: 0.07,
  DE: 0.09,
  FR: 0.08,
  ES: 0.07,
  IT: 0.08,
  NL: 0.1,
  IN: 0.006,
  AU: 0.05,
  BR: 0.04,
};
const DEFAULT_PER_SEGMENT_USD = 0.06;

export interface CostEstimate {
  amount: number;
  currency: 'USD';
}

export function estimateCost(country: string | undefined, segments: number): CostEstimate {
  const price = (country && PER_SEGMENT_USD[country]) || DEFAULT_PER_SEGMENT_USD;
  return { amount: Math.round(price * segments * 10_000) / 10_000, currency: 'USD' };
}
