import { toMillionths } from '../fraud/spend.ts';
import type { SpendLimits } from '../identity-stores/identity-store.ts';

/** A price list per SMS segment: `default` and ISO country entries, in currency units. */
export type PriceList = Readonly<Record<string, number>>;

/** What a gateway says of its prices (api.md "Prices and currencies"); both optional on old items. */
export interface GatewayPrices {
  pricePerSegment?: PriceList | null;
  /** ISO 4217; missing reads as USD. */
  priceCurrency?: string | null;
}

export const DEFAULT_PRICE_CURRENCY = 'USD';

/**
 * The one price rule of a send (api.md "Wave 3: exact rules", Prices): the gateway's entry for the
 * country, else the gateway's `default`, else the store's entry for the country, else the store's
 * `default`. A gateway priced in another currency than the store's is skipped: its numbers would be
 * summed with the store's budgets as if they were the same money. In millionths of the store's currency.
 */
export function pricePerSegment(
  limits: Pick<SpendLimits, 'currency' | 'pricePerSegment'>,
  gateway: GatewayPrices | undefined,
  country: string | undefined,
): number {
  const own =
    gateway && (gateway.priceCurrency ?? DEFAULT_PRICE_CURRENCY) === limits.currency
      ? gateway.pricePerSegment
      : undefined;
  const entry = (list: PriceList | null | undefined) =>
    list ? ((country === undefined ? undefined : list[country]) ?? list.default) : undefined;
  const countryOnly = (list: PriceList) => (country === undefined ? undefined : list[country]);
  const price = entry(own) ?? countryOnly(limits.pricePerSegment) ?? limits.pricePerSegment.default ?? 0;
  return toMillionths(price);
}

/** A message's estimated cost in millionths: its segments at the price per segment of that gateway. */
export function estimatedCost(
  limits: Pick<SpendLimits, 'currency' | 'pricePerSegment'>,
  gateway: GatewayPrices | undefined,
  country: string | undefined,
  segments: number,
): number {
  return pricePerSegment(limits, gateway, country) * segments;
}

/** Millionths as the API shows money: a JSON number with at most 6 decimals. */
export const fromMillionths = (millionths: number): number => millionths / 1_000_000;
