/** Money is summed in integer millionths of the currency unit, so 3 × 0.05 is exactly 0.15. */
export const toMillionths = (amount: number): number => Math.round(amount * 1_000_000);
