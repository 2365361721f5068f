import { describe, expect, it } from 'vitest';
import { testCodeDigest } from '../../shared/domain/codes/code.ts';
import { numberListProblems } from '../../shared/domain/identity-stores/number-list-rules.ts';
import {
  classifyNumber,
  fictionalNumber,
  storeTestPhone,
  testCodeDigestOf,
} from '../../shared/domain/sending/number-class.ts';

const KEYS = Buffer.alloc(32, 7);
const store = {
  testNumbers: [{ phoneNumber: '+447700900001', codeLength: 6, codeDigest: 'digest-1' }],
  trustedNumbers: ['+447400123456'],
};

/** What each class of number is spared or counted is a send-plan rule: send-plan.test.ts. */
describe('number classification', () => {
  it('recognises only the fictional ranges, with or without +', () => {
    expect(fictionalNumber('+12025550100')).toBe('+12025550100');
    expect(fictionalNumber('12025550199')).toBe('+12025550199');
    expect(fictionalNumber('+447700900123')).toBe('+447700900123');
    for (const real of ['+12025550200', '+11025550100', '+447700901123', '+447400123456', '+4477009001234'])
      expect(fictionalNumber(real), real).toBeUndefined();
  });

  it('classifies test, trusted and ordinary numbers', () => {
    expect(classifyNumber(store, '+447700900001')).toBe('test');
    expect(classifyNumber(store, '+447400123456')).toBe('trusted');
    expect(classifyNumber(store, '+447400123457')).toBe('ordinary');
    expect(classifyNumber({}, '+447700900001')).toBe('ordinary');
    expect(testCodeDigestOf(store, '+447700900001')).toBe('digest-1');
    expect(testCodeDigestOf(store, '+447400123456')).toBeUndefined();
  });

  it("parses a store's test number without libphonenumber, and only the store's own", () => {
    expect(storeTestPhone(store, '447700900001')).toEqual({
      e164: '+447700900001',
      country: 'GB',
      type: 'MOBILE',
      countryCallingCode: '44',
    });
    expect(storeTestPhone(store, '+447700900002')).toBeUndefined();
    expect(storeTestPhone(store, '+447400123456')).toBeUndefined();
  });

  it('keys a fixed code per store, never as digits', () => {
    const digest = testCodeDigest(KEYS, 'ids_1', '123456');
    expect(digest).not.toMatch(/^\d+$/);
    expect(digest).not.toContain('123456');
    expect(testCodeDigest(KEYS, 'ids_2', '123456')).not.toBe(digest);
    expect(testCodeDigest(KEYS, 'ids_1', '123457')).not.toBe(digest);
    expect(testCodeDigest(KEYS, 'ids_1', '123456')).toBe(digest);
  });
});

describe('number list validation', () => {
  const valid = {
    testNumbers: [{ phoneNumber: '+447700900001', code: '123456' }],
    keptTestNumbers: [{ phoneNumber: '+447700900001', codeLength: 6 }],
    trustedNumbers: ['+447400123456'],
    codeLength: 6,
    testNumbersAllowed: true,
  };

  it('accepts fictional test numbers with codes of the policy length and real trusted numbers', () => {
    expect(numberListProblems(valid)).toEqual([]);
  });

  it('refuses test numbers where the deployment does not allow them, but not an empty list', () => {
    expect(numberListProblems({ ...valid, testNumbersAllowed: false })).toEqual([
      { path: 'testNumbers', message: expect.stringMatching(/testNumbersAllowed/) },
    ]);
    expect(
      numberListProblems({ ...valid, testNumbers: [], keptTestNumbers: [], testNumbersAllowed: false }),
    ).toEqual([]);
  });

  it('puts each problem at its field path', () => {
    const problems = numberListProblems({
      ...valid,
      testNumbers: [
        { phoneNumber: '+447400123456', code: '123456' },
        { phoneNumber: '+12025550100', code: '1234' },
        { phoneNumber: '12025550100', code: '123456' },
      ],
      keptTestNumbers: [
        { phoneNumber: '+447400123456', codeLength: 6 },
        { phoneNumber: '+12025550100', codeLength: 4 },
        { phoneNumber: '+12025550100', codeLength: 6 },
      ],
      trustedNumbers: ['+447400123456', '447400123456', '+12025550100'],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'testNumbers.0.phoneNumber',
      'testNumbers.2.phoneNumber',
      'testNumbers.1.code',
      'trustedNumbers.1',
      'trustedNumbers.2',
    ]);
  });

  it('refuses a policy length that leaves a kept test code of another length', () => {
    const { testNumbers: _written, ...kept } = valid;
    expect(numberListProblems({ ...kept, codeLength: 8 })).toEqual([
      { path: 'testNumbers.0.code', message: 'must have 8 digits (codePolicy.length)' },
    ]);
  });
});
