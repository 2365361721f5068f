/**
 * The one place that says what kind of number a send goes to (api.md "Test numbers and trusted
 * numbers"). `test`: a fictional number with a fixed code that never reaches a provider and counts
 * against no budget or fraud-guard count, only the per-phone limits. `trusted`: a number many users
 * share (a front desk), exempt from the per-phone limits and the fraud guard, capped per day instead.
 * The fraud guard (issue 13) exempts what `classifyNumber` does not call `ordinary`.
 */
export type NumberClass = 'test' | 'trusted' | 'ordinary';

/** A trusted number's own cap, in place of the per-phone limits. */
export const TRUSTED_SENDS_PER_DAY = 100;
export const MAX_TEST_NUMBERS = 20;
export const MAX_TRUSTED_NUMBERS = 100;

/**
 * The ranges reserved for fiction: `+1 NXX 555 01XX` (NANP) and `+44 7700 900XXX` (Ofcom). libphonenumber
 * calls them invalid, so they are recognised here, on digits, and never through it.
 */
const FICTIONAL = [/^\+1[2-9]\d{2}55501\d{2}$/, /^\+447700900\d{3}$/];

/** `+15555550100` or `15555550100` -> `+15555550100`; undefined when it is not in a fictional range. */
export function fictionalNumber(input: string): string | undefined {
  const e164 = input.startsWith('+') ? input : `+${input}`;
  return FICTIONAL.some((range) => range.test(e164)) ? e164 : undefined;
}

export interface TestNumber {
  phoneNumber: string;
  /** Write-only: never in a representation or a log line. */
  code: string;
}

export interface NumberLists {
  testNumbers?: readonly TestNumber[];
  trustedNumbers?: readonly string[];
}

export function classifyNumber(store: NumberLists, e164: string): NumberClass {
  if (store.testNumbers?.some((entry) => entry.phoneNumber === e164)) return 'test';
  if (store.trustedNumbers?.includes(e164)) return 'trusted';
  return 'ordinary';
}

/** The fixed code of a test number, undefined for any other number. */
export function testCodeOf(store: NumberLists, e164: string): string | undefined {
  return store.testNumbers?.find((entry) => entry.phoneNumber === e164)?.code;
}

/** Whether a send to the number counts against store-wide limits and budgets: every number but a test one. */
export const countsStoreWide = (numberClass: NumberClass): boolean => numberClass !== 'test';
