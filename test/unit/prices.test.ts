import { describe, expect, it } from 'vitest';
import { estimatedCost, unitPrice, type GatewayPrices } from '../../shared/domain/sending/prices.ts';

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
    expect(unitPrice(limits ?? store, gateway, country)).toBe(expected);
  });

  it('multiplies by the segments in exact millionths (3 x 0.0083 is 0.0249, not 0.024899...)', () => {
    expect(estimatedCost(store, { pricePerSegment: { US: 0.0083 } }, 'US', 3)).toBe(24_900);
  });
});

/** A call is priced by the same rule on the call lists (issue 29): the gateway's, the store's, then 0.10. */
describe('price per call of a send', () => {
  const callStore = { ...store, pricePerCall: { default: 0.2, DE: 0.5 } };
  const calls: Row[] = [
    {
      rule: "the gateway's pricePerCall entry for the country comes first",
      gateway: { pricePerSegment: { DE: 0.07 }, pricePerCall: { default: 0.3, DE: 0.4 } },
      country: 'DE',
      expected: 400_000,
    },
    {
      rule: "then the gateway's call default, before the store's entry for the country",
      gateway: { pricePerCall: { default: 0.3 } },
      country: 'DE',
      expected: 300_000,
    },
    {
      rule: "a gateway with segment prices only: the store's call price for the country",
      gateway: { pricePerSegment: { default: 0.01, DE: 0.01 } },
      country: 'DE',
      expected: 500_000,
    },
    { rule: "then the store's call default", gateway: {}, country: 'GB', expected: 200_000 },
    {
      rule: 'a gateway whose calls are priced in another currency is skipped',
      gateway: { pricePerCall: { default: 0.01 }, priceCurrency: 'EUR' },
      country: 'GB',
      expected: 200_000,
    },
  ];
  it.each(calls)('$rule', ({ gateway, country, expected }) => {
    expect(unitPrice(callStore, gateway, country, 'voice')).toBe(expected);
  });

  it('a store without pricePerCall (written before calls) pays the default 0.10 a call', () => {
    expect(unitPrice(store, undefined, 'DE', 'voice')).toBe(100_000);
    expect(estimatedCost(store, { pricePerCall: { DE: 0.25 } }, 'DE', 1, 'voice')).toBe(250_000);
  });

  it('segment prices never price a call, nor call prices a text', () => {
    const both = { pricePerSegment: { default: 0.02 }, pricePerCall: { default: 0.3 } };
    expect(unitPrice(callStore, both, 'GB', 'sms')).toBe(20_000);
    expect(unitPrice(callStore, both, 'GB', 'voice')).toBe(300_000);
  });
});
