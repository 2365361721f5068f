import { describe, expect, it } from 'vitest';
import { estimatedCost, pricePerSegment, type GatewayPrices } from '../../shared/domain/sending/prices.ts';

const store = { currency: 'USD' as const, pricePerSegment: { default: 0.05, DE: 0.09 } };
const storeNoDefault = { currency: 'USD' as const, pricePerSegment: { DE: 0.09 } };

interface Row {
  rule: string;
  limits?: typeof store | typeof storeNoDefault;
  gateway: GatewayPrices | undefined;
  country: string | undefined;
  expected: number;
}

const rows: Row[] = [
  {
    rule: "the gateway's entry for the country comes first",
    gateway: { pricePerSegment: { default: 0.02, DE: 0.07 } },
    country: 'DE',
    expected: 70_000,
  },
  {
    rule: "then the gateway's default, before the store's entry for the country",
    gateway: { pricePerSegment: { default: 0.02, FR: 0.08 } },
    country: 'DE',
    expected: 20_000,
  },
  {
    rule: "then the store's entry for the country",
    gateway: { pricePerSegment: { FR: 0.08 } },
    country: 'DE',
    expected: 90_000,
  },
  {
    rule: "then the store's default",
    gateway: { pricePerSegment: { FR: 0.08 } },
    country: 'GB',
    expected: 50_000,
  },
  { rule: 'a gateway without prices: the store entry', gateway: {}, country: 'DE', expected: 90_000 },
  { rule: 'no gateway known: the store default', gateway: undefined, country: 'IT', expected: 50_000 },
  {
    rule: 'a gateway priced in another currency is skipped whole',
    gateway: { pricePerSegment: { default: 0.01, DE: 0.01 }, priceCurrency: 'EUR' },
    country: 'DE',
    expected: 90_000,
  },
  {
    rule: 'a gateway priced in the store currency, named explicitly',
    gateway: { pricePerSegment: { DE: 0.011 }, priceCurrency: 'USD' },
    country: 'DE',
    expected: 11_000,
  },
  {
    rule: 'a number without a country takes the defaults',
    gateway: { pricePerSegment: { default: 0.03, DE: 0.07 } },
    country: undefined,
    expected: 30_000,
  },
  {
    rule: 'nothing priced at all costs nothing',
    limits: storeNoDefault,
    gateway: undefined,
    country: 'GB',
    expected: 0,
  },
  {
    rule: 'a gateway entry of 0 is a price (free), not a missing one',
    gateway: { pricePerSegment: { DE: 0 } },
    country: 'DE',
    expected: 0,
  },
];

describe('price per segment of a send (api.md "Wave 3: exact rules", Prices)', () => {
  it.each(rows)('$rule', ({ limits, gateway, country, expected }) => {
    expect(pricePerSegment(limits ?? store, gateway, country)).toBe(expected);
  });

  it('multiplies by the segments in exact millionths (3 x 0.0083 is 0.0249, not 0.024899...)', () => {
    expect(estimatedCost(store, { pricePerSegment: { US: 0.0083 } }, 'US', 3)).toBe(24_900);
  });
});
