import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, isCountryCode } from '../../shared/domain/countries.ts';

describe('the country codes written out for what only checks a code', () => {
  it("are libphonenumber-js's countries, in its order: an upgrade that adds or drops one fails here", () => {
    expect(COUNTRY_CODES).toEqual(getCountries());
  });

  it('recognises exactly those codes, upper case', () => {
    for (const code of getCountries()) expect(isCountryCode(code), code).toBe(true);
    for (const code of ['gb', 'Gb', 'XX', 'UK', 'default', 'constructor', '', 'GBR', 'G'])
      expect(isCountryCode(code), code).toBe(false);
  });
});
