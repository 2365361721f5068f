import type { FieldError } from '../errors.ts';
import { parsePhone } from '../phone.ts';
import { fictionalNumber, type TestNumberInput } from '../sending/number-class.ts';

export interface NumberListsInput {
  /** Present when this write sets the list (a create, or a patch naming it). */
  testNumbers?: readonly TestNumberInput[];
  /** What the store keeps after the write (the new list, else the current one). */
  keptTestNumbers: readonly { phoneNumber: string; codeLength: number }[];
  trustedNumbers: readonly string[];
  codeLength: number;
  /** The deployment's `testNumbersAllowed` (always true locally). */
  testNumbersAllowed: boolean;
}

/** Every problem of a store's number lists, each at its field path (`testNumbers.0.code`). */
export function numberListProblems(input: NumberListsInput): FieldError[] {
  const problems: FieldError[] = [];
  const written = input.testNumbers ?? [];
  if (written.length > 0 && !input.testNumbersAllowed) {
    problems.push({
      path: 'testNumbers',
      message: 'test numbers are not allowed in this deployment (CDK context testNumbersAllowed)',
    });
  }
  const seen = new Set<string>();
  written.forEach((entry, i) => {
    const e164 = fictionalNumber(entry.phoneNumber);
    if (!e164) {
      problems.push({
        path: `testNumbers.${i}.phoneNumber`,
        message: 'must be in a fictional range: +1 NXX 555 01XX or +44 7700 900XXX',
      });
    } else if (seen.has(e164)) {
      problems.push({ path: `testNumbers.${i}.phoneNumber`, message: 'is listed twice' });
    }
    if (e164) seen.add(e164);
  });
  input.keptTestNumbers.forEach((entry, i) => {
    if (entry.codeLength !== input.codeLength) {
      problems.push({
        path: `testNumbers.${i}.code`,
        message: `must have ${input.codeLength} digits (codePolicy.length)`,
      });
    }
  });
  const trusted = new Set<string>();
  input.trustedNumbers.forEach((number, i) => {
    const e164 = fictionalNumber(number) ? undefined : parsePhone(number)?.e164;
    if (!e164) {
      problems.push({
        path: `trustedNumbers.${i}`,
        message: 'is not a valid international number (a fictional one belongs in testNumbers)',
      });
    } else if (trusted.has(e164)) {
      problems.push({ path: `trustedNumbers.${i}`, message: 'is listed twice' });
    }
    if (e164) trusted.add(e164);
  });
  return problems;
}

/** Trusted numbers as the store keeps them: E.164 (valid ones; invalid ones were refused before). */
export function trustedE164(numbers: readonly string[]): string[] {
  return numbers.map((number) => parsePhone(number)?.e164 ?? number);
}

/**
 * A store write's number-list rules, which parse trusted numbers with the send path's parser and
 * libphonenumber's metadata (190 KiB). The writes' wiring imports them on the first write (a chunk of their
 * own), so no cold start loads the metadata and the routes that only read, list or delete stores do not
 * bundle it; sending/number-class.ts, which the schemas and the send plan read, parses nothing.
 */
export const NUMBER_LIST_RULES = { problems: numberListProblems, trustedE164 } as const;

export type NumberListRules = typeof NUMBER_LIST_RULES;
