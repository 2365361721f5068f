import { toMillionths } from '../fraud/spend.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import { DEFAULT_PRICE_PER_CALL, type SpendLimits } from '../identity-stores/identity-store.ts';

/** A price list per SMS segment or per call: `default` and ISO country entries, in currency units. */
export type PriceList = Readonly<Record<string, number>>;

/** What a gateway says of its prices (api.md "Prices and currencies"); all optional on old items. */
export interface GatewayPrices {
  pricePerSegment?: PriceList | null;
  /** What one call through it costs (voice-capable gateways); absent: the store's `pricePerCall`. */
  pricePerCall?: PriceList | null;
  /** ISO 4217; missing reads as USD. */
  priceCurrency?: string | null;
}

export const DEFAULT_PRICE_CURRENCY = 'USD';

/**
 * The one price rule of a send (api.md "Wave 3: exact rules", Prices): the gateway's entry for the
 * country, else the gateway's `default`, else the store's entry for the country, else the store's
 * `default`. A gateway priced in another currency than the store's is skipped: its numbers would be
 * summed with the store's budgets as if they were the same money. A text is priced per segment
 * (`pricePerSegment`), a call per call (`pricePerCall`; a store without one: DEFAULT_PRICE_PER_CALL).
 * In millionths of the store's currency.
 */
export function unitPrice(
  limits: Pick<SpendLimits, 'currency' | 'pricePerSegment' | 'pricePerCall'>,
  gateway: GatewayPrices | undefined,
  country: string | undefined,
  channel: Channel = 'sms',
): number {
  const sameMoney = gateway && (gateway.priceCurrency ?? DEFAULT_PRICE_CURRENCY) === limits.currency;
  const own = sameMoney ? (channel === 'voice' ? gateway.pricePerCall : gateway.pricePerSegment) : undefined;
  const stores = channel === 'voice' ? limits.pricePerCall : limits.pricePerSegment;
  const fallback = channel === 'voice' ? DEFAULT_PRICE_PER_CALL : 0;
  const entry = (list: PriceList | null | undefined) =>
    list ? ((country === undefined ? undefined : list[country]) ?? list.default) : undefined;
  const countryOnly = (list: PriceList | undefined) =>
    list && country !== undefined ? list[country] : undefined;
  const price = entry(own) ?? countryOnly(stores) ?? stores?.default ?? fallback;
  return toMillionths(price);
}

/** A send's estimated cost in millionths: its units (segments; 1 for a call) at that gateway's price. */
export function estimatedCost(
  limits: Pick<SpendLimits, 'currency' | 'pricePerSegment' | 'pricePerCall'>,
  gateway: GatewayPrices | undefined,
  country: string | undefined,
  units: number,
  channel: Channel = 'sms',
): number {
  return unitPrice(limits, gateway, country, channel) * units;
}

/** Millionths as the API shows money: a JSON number with at most 6 decimals. */
export const fromMillionths = (millionths: number): number => millionths / 1_000_000;
