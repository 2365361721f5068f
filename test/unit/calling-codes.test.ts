import { getCountries, getCountryCallingCode, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALLING_CODES, callingCodeOf } from '../../shared/domain/calling-codes.ts';
import { maskPhone, parsePhone } from '../../shared/domain/phone.ts';

describe('the calling codes written out for masking without metadata', () => {
  it("are libphonenumber-js's calling codes: an upgrade that adds or drops one fails here", () => {
    expect(CALLING_CODES).toEqual(new Set(getCountries().map((country) => getCountryCallingCode(country))));
  });

  it("give every country's example mobile number the calling code the library parses from it", () => {
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      expect(callingCodeOf(example.number), `${country} ${example.number}`).toBe(example.countryCallingCode);
    }
  });

  it('find the same code as the parser for any digits after any code, and none without a known code', () => {
    const codes = [...CALLING_CODES];
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.stringMatching(/^\d{4,12}$/), (code, rest) => {
        expect(callingCodeOf(`+${code}${rest}`)).toBe(code);
      }),
    );
    for (const input of ['', '+', '447400123456', '+80012345678', '+0123', '+28', '+9'])
      expect(callingCodeOf(input), input).toBeUndefined();
  });
});

describe('maskPhone without metadata', () => {
  it('masks as with the parsed calling code, for example numbers of every country', () => {
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const parsed = parsePhone(example.number)!;
      expect(maskPhone(example.number), country).toBe(maskPhone(example.number, parsed.countryCallingCode));
    }
    expect(maskPhone('+447400123456')).toBe('+44*******456');
    expect(maskPhone('+12025550123')).toBe('+1*******123');
    expect(maskPhone('+35312345678')).toBe('+353*****678');
  });
});
