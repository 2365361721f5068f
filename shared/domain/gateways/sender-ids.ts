import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isCountryCode } from '../countries.ts';
import type { FieldError } from '../errors.ts';
import type { GatewayRecord } from './gateway.ts';

/**
 * A gateway's sender per country (api.md "Messages: ... sender per country"): several countries refuse
 * or rewrite messages that do not come from a registered alphanumeric sender, so a gateway may name one
 * per country in place of its `from`.
 */
export const MAX_SENDER_IDS = 250;

/** 1-11 of A-Z a-z 0-9 and space with at least one letter (an all-digit sender would read as a number). */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const SHORT_CODE = /^\d{3,8}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function senderProblem(sender: string): string | undefined {
  if (ALPHANUMERIC_SENDER.test(sender) || SHORT_CODE.test(sender) || E164.test(sender)) return undefined;
  return 'must be an alphanumeric sender (1-11 of A-Z a-z 0-9 and space, at least one letter), a short code (3-8 digits) or an E.164 number';
}

export function senderIdProblems(senderIds: Readonly<Record<string, string>>): FieldError[] {
  const problems: FieldError[] = [];
  const countries = Object.keys(senderIds);
  if (countries.length > MAX_SENDER_IDS) {
    problems.push({
      path: 'senderIds',
      message: `must have at most ${MAX_SENDER_IDS} countries, got ${countries.length}`,
    });
  }
  for (const country of countries) {
    const path = `senderIds.${country}`;
    if (!isCountryCode(country)) {
      problems.push({ path, message: 'the key must be an upper-case ISO 3166-1 alpha-2 country code' });
    }
    const problem = senderProblem(senderIds[country]!);
    if (problem) problems.push({ path, message: problem });
  }
  return problems;
}

/** The gateway as it sends to `to`: the country's sender in place of `from`, when it names one. */
export function withSenderFor<G extends Pick<GatewayRecord, 'from' | 'senderIds'>>(
  gateway: G,
  to: string,
): G {
  const senderIds = gateway.senderIds;
  if (!senderIds || Object.keys(senderIds).length === 0) return gateway;
  const country = parsePhoneNumberFromString(to)?.country;
  const sender = country === undefined ? undefined : senderIds[country];
  return sender === undefined ? gateway : { ...gateway, from: sender };
}
