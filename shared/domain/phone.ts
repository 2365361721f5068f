import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { callingCodeOf } from './calling-codes.ts';
import { PHONE_INPUT_PATTERN } from './phone-input.ts';

export interface PhoneNumber {
  e164: string;
  /** ISO 3166-1 alpha-2, when the number maps to one country. */
  country: string | undefined;
  type: NumberType | undefined;
  countryCallingCode: string;
}

export function parsePhone(input: string): PhoneNumber | undefined {
  if (!PHONE_INPUT_PATTERN.test(input)) return undefined;
  const parsed = parsePhoneNumberFromString(input.startsWith('+') ? input : `+${input}`);
  if (!parsed || !parsed.isValid()) return undefined;
  return {
    e164: parsed.number,
    country: parsed.country,
    type: parsed.getType(),
    countryCallingCode: parsed.countryCallingCode,
  };
}

/** Types that can receive an SMS. US/CA numbers are reported as FIXED_LINE_OR_MOBILE by design. */
const SMS_CAPABLE: ReadonlySet<NumberType | undefined> = new Set<NumberType | undefined>([
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
]);

/** Why a number cannot receive codes, or undefined when it can. */
export function smsIneligibility(phone: PhoneNumber): string | undefined {
  if (SMS_CAPABLE.has(phone.type)) return undefined;
  const kind = phone.type ? phone.type.toLowerCase().replaceAll('_', '-') : 'unknown-type';
  return `The number is a ${kind} number; codes are sent to mobile numbers only.`;
}

/** Numbers a test message must never go to: the sender would pay premium or shared-cost rates. */
const COSTLY: ReadonlySet<NumberType | undefined> = new Set<NumberType | undefined>([
  'PREMIUM_RATE',
  'SHARED_COST',
]);

/**
 * The admin's "test connection" goes to a number the admin chose, so only costly numbers are refused
 * (api.md's own example, 447079692712, is a UK personal number, not a mobile).
 */
export function testMessageIneligibility(phone: PhoneNumber): string | undefined {
  if (!COSTLY.has(phone.type)) return undefined;
  return `The number is a ${phone.type?.toLowerCase().replaceAll('_', '-')} number; test messages are not sent to it.`;
}

/**
 * `+44*******712`: the country calling code and the last three digits, nothing else. The code is found
 * without the library's metadata (calling-codes.ts), so what only masks stored numbers does not bundle it.
 */
export function maskPhone(e164: string, countryCallingCode?: string): string {
  const cc = countryCallingCode ?? callingCodeOf(e164) ?? e164.slice(1, 2);
  const national = e164.slice(1 + cc.length);
  const visible = national.length >= 7 ? 3 : 2;
  return `+${cc}${'*'.repeat(Math.max(national.length - visible, 0))}${national.slice(-visible)}`;
}
