import { describe, expect, it } from 'vitest';
import {
  classifyNumber,
  countsStoreWide,
  fictionalNumber,
  testCodeOf,
} from '../../shared/domain/sending/number-class.ts';

describe('number classification', () => {
  it('recognises only the fictional ranges, with or without +', () => {
    expect(fictionalNumber('+12025550100')).toBe('+12025550100');
    expect(fictionalNumber('12025550199')).toBe('+12025550199');
    expect(fictionalNumber('+447700900123')).toBe('+447700900123');
    for (const real of ['+12025550200', '+11025550100', '+447700901123', '+447400123456', '+4477009001234'])
      expect(fictionalNumber(real), real).toBeUndefined();
  });

  it('classifies test, trusted and ordinary numbers; only test numbers skip store-wide counts', () => {
    const store = {
      testNumbers: [{ phoneNumber: '+447700900001', code: '123456' }],
      trustedNumbers: ['+447400123456'],
    };
    expect(classifyNumber(store, '+447700900001')).toBe('test');
    expect(classifyNumber(store, '+447400123456')).toBe('trusted');
    expect(classifyNumber(store, '+447400123457')).toBe('ordinary');
    expect(classifyNumber({}, '+447700900001')).toBe('ordinary');
    expect(testCodeOf(store, '+447700900001')).toBe('123456');
    expect(testCodeOf(store, '+447400123456')).toBeUndefined();
    expect([countsStoreWide('test'), countsStoreWide('trusted'), countsStoreWide('ordinary')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
