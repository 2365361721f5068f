import type { PhoneNumber } from '../phone.ts';

/**
 * The one place that says what kind of number a send goes to (api.md "Test numbers and trusted
 * numbers"). `test`: a fictional number with a fixed code that never reaches a provider and counts
 * against no budget or fraud-guard count, only the per-phone limits. `trusted`: a number many users
 * share (a front desk), exempt from the per-phone limits and the fraud guard, capped per day instead.
 */
export type NumberClass = 'test' | 'trusted' | 'ordinary';

/** A trusted number's own cap, in place of the per-phone limits. */
export const TRUSTED_SENDS_PER_DAY = 100;
export const MAX_TEST_NUMBERS = 20;
export const MAX_TRUSTED_NUMBERS = 100;

/** What each class of number takes part in; the send plan (send-plan.ts) asks this table, nothing else. */
export interface NumberTreatment {
  /** A provider gets the message (else nothing is sent, no outbox line). */
  delivers: boolean;
  /** The challenge holds the store's fixed code for the number instead of a random one. */
  fixedCode: boolean;
  /** Fraud-guard counts (prefix, country, client IP, application). */
  fraudGuard: boolean;
  /** The store-wide daily limit and the spend budgets. */
  storeWide: boolean;
}

export const NUMBER_TREATMENT: Readonly<Record<NumberClass, NumberTreatment>> = {
  ordinary: { delivers: true, fixedCode: false, fraudGuard: true, storeWide: true },
  test: { delivers: false, fixedCode: true, fraudGuard: false, storeWide: false },
  trusted: { delivers: true, fixedCode: false, fraudGuard: false, storeWide: true },
};

/**
 * The ranges reserved for fiction: `+1 NXX 555 01XX` (NANP) and `+44 7700 900XXX` (Ofcom). libphonenumber
 * calls them invalid, so they are recognised here, on digits, and never through it.
 */
const FICTIONAL: readonly { range: RegExp; country: string; countryCallingCode: string }[] = [
  { range: /^\+1[2-9]\d{2}55501\d{2}$/, country: 'US', countryCallingCode: '1' },
  { range: /^\+447700900\d{3}$/, country: 'GB', countryCallingCode: '44' },
];

function fictionalRange(input: string) {
  const e164 = input.startsWith('+') ? input : `+${input}`;
  const match = FICTIONAL.find(({ range }) => range.test(e164));
  return match ? { e164, ...match } : undefined;
}

/** `+12025550123` or `12025550123` -> `+12025550123`; undefined when it is not in a fictional range. */
export function fictionalNumber(input: string): string | undefined {
  return fictionalRange(input)?.e164;
}

/**
 * A test number as the store keeps it: the code only as a keyed digest (`testCodeDigest`), which the
 * challenge's code hash is taken over, so the table holds no usable code (design.md: codes only hashed).
 */
export interface StoredTestNumber {
  phoneNumber: string;
  codeLength: number;
  codeDigest: string;
}

/** A test number as an admin writes it; the code never leaves the write. */
export interface TestNumberInput {
  phoneNumber: string;
  code: string;
}

export interface NumberLists {
  testNumbers?: readonly StoredTestNumber[];
  trustedNumbers?: readonly string[];
}

export function classifyNumber(store: NumberLists, e164: string): NumberClass {
  if (store.testNumbers?.some((entry) => entry.phoneNumber === e164)) return 'test';
  if (store.trustedNumbers?.includes(e164)) return 'trusted';
  return 'ordinary';
}

/** The digest the challenge of a test number hashes instead of a random code; undefined for any other number. */
export function testCodeDigestOf(store: NumberLists, e164: string): string | undefined {
  return store.testNumbers?.find((entry) => entry.phoneNumber === e164)?.codeDigest;
}

/**
 * A store's test number as a parsed number (libphonenumber refuses the fictional ranges), undefined when
 * the input is not one of the store's test numbers: then it is parsed like any other number.
 */
export function storeTestPhone(store: NumberLists, input: string): PhoneNumber | undefined {
  const fictional = fictionalRange(input);
  if (!fictional || classifyNumber(store, fictional.e164) !== 'test') return undefined;
  return {
    e164: fictional.e164,
    country: fictional.country,
    type: 'MOBILE',
    countryCallingCode: fictional.countryCallingCode,
  };
}
