import fc from 'fast-check';
import {
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import metadata from 'libphonenumber-js/metadata.max.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { CALLING_CODES, callingCodeOf } from '../../shared/domain/calling-codes.ts';
import { maskPhone } from '../../shared/domain/phone.ts';

const ALL = [...CALLING_CODES.country, ...CALLING_CODES.nonGeographic];

describe('the calling codes written out for masking', () => {
  it("are libphonenumber-js's: an upgrade that adds or drops one fails here", () => {
    expect(new Set(CALLING_CODES.country)).toEqual(
      new Set(getCountries().map((c) => getCountryCallingCode(c))),
    );
    expect(CALLING_CODES.country).toHaveLength(new Set(CALLING_CODES.country).size);
    expect(new Set(CALLING_CODES.nonGeographic)).toEqual(new Set(Object.keys(metadata.nonGeographic)));
  });

  it('are prefix-free, so a number starts with at most one of them', () => {
    for (const a of ALL) for (const b of ALL) if (a !== b) expect(b.startsWith(a), `${a} ${b}`).toBe(false);
  });

  it("finds the library's calling code of every country's example mobile number", () => {
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      expect(callingCodeOf(example.number), example.number).toBe(example.countryCallingCode);
    }
  });

  it('finds the calling code the library parses from any valid number, geographic or not', () => {
    const numbers = fc
      .tuple(fc.constantFrom(...ALL), fc.stringMatching(/^[0-9]{4,12}$/))
      .map(([code, rest]) => `+${code}${rest}`)
      .filter((e164) => parsePhoneNumberFromString(e164)?.isValid() === true);
    fc.assert(
      fc.property(numbers, (e164) => {
        const parsed = parsePhoneNumberFromString(e164)!;
        expect(callingCodeOf(parsed.number)).toBe(parsed.countryCallingCode);
        expect(maskPhone(parsed.number)).toBe(maskPhone(parsed.number, parsed.countryCallingCode));
      }),
      { numRuns: 500 },
    );
  });

  it('finds none where no calling code starts the number', () => {
    for (const input of ['', '+', '44', '447400123456', '+0123', '+28', '+999', '+a44'])
      expect(callingCodeOf(input), input).toBeUndefined();
  });
});
