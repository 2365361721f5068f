import { describe, expect, it } from 'vitest';
import { VersionMismatch } from '../../shared/domain/errors.ts';
import { ifMatchVersion } from '../../shared/http/if-match.ts';

describe('ifMatchVersion', () => {
  it('reads bare, quoted and weak versions', () => {
    expect(ifMatchVersion({ 'if-match': '3' }, 'x')).toBe(3);
    expect(ifMatchVersion({ 'if-match': '"12"' }, 'x')).toBe(12);
    expect(ifMatchVersion({ 'if-match': 'W/"4"' }, 'x')).toBe(4);
  });

  it('treats no header and * as any version', () => {
    expect(ifMatchVersion({}, 'x')).toBeUndefined();
    expect(ifMatchVersion({ 'if-match': '*' }, 'x')).toBeUndefined();
  });

  it('answers a value that can never match with a version mismatch', () => {
    expect(() => ifMatchVersion({ 'if-match': 'abc' }, 'The thing')).toThrow(VersionMismatch);
    expect(() => ifMatchVersion({ 'if-match': '"1", "2"' }, 'The thing')).toThrow(VersionMismatch);
  });
});
