import { describe, expect, it } from 'vitest';
import { maskPhone, parsePhone, smsIneligibility } from '../../shared/domain/phone.ts';

describe('parsePhone', () => {
  it('reads E.164 and international digits without + as the same number', () => {
    expect(parsePhone('+447400123456')).toMatchObject({
      e164: '+447400123456',
      country: 'GB',
      type: 'MOBILE',
    });
    expect(parsePhone('447400123456')?.e164).toBe('+447400123456');
  });

  it('refuses spaces, symbols, leading zeros and invalid numbers', () => {
    for (const input of [
      '+44 7400 123456',
      '(415) 555-2671',
      '0447400123456',
      '+447700900123',
      '',
      '+',
      '12',
    ]) {
      expect(parsePhone(input), input).toBeUndefined();
    }
  });
});

describe('smsIneligibility', () => {
  it('accepts mobile and US/CA fixed-line-or-mobile numbers', () => {
    expect(smsIneligibility(parsePhone('+447400123456')!)).toBeUndefined();
    expect(smsIneligibility(parsePhone('+14155552671')!)).toBeUndefined();
  });

  it('refuses premium-rate, toll-free and fixed-line numbers, naming the type', () => {
    expect(smsIneligibility(parsePhone('+449090901234')!)).toContain('premium-rate');
    expect(smsIneligibility(parsePhone('+18005551234')!)).toContain('toll-free');
    expect(smsIneligibility(parsePhone('+4930123456')!)).toContain('fixed-line');
  });
});

describe('maskPhone', () => {
  it('shows only the country code and the last digits', () => {
    expect(maskPhone('+447079692712')).toBe('+44*******712');
    expect(maskPhone('+14155552671', '1')).toBe('+1*******671');
    expect(maskPhone('+4930123456')).toBe('+49*****456');
  });
});
