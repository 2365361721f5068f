import { describe, expect, it } from 'vitest';
import { ID_PATTERN, newId } from '../../shared/domain/ids.ts';
import { cryptoRandom, type Random } from '../../shared/ports/random.ts';

const fixedRandom = (byte: number): Random => ({ bytes: (n) => Buffer.alloc(n, byte), int: () => 0 });
const at = (ms: number) => ({ now: () => new Date(ms) });

describe('newId', () => {
  it('is URL-safe, prefixed and sorts by creation time', () => {
    const ids = [1_000, 2_000, 1_700_000_000_000, 1_700_000_000_001].map((ms) =>
      newId('gw', at(ms), fixedRandom(255)),
    );
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^gw_[0-9a-z]{26}$/);
  });

  it('differs for the same millisecond through its random part', () => {
    const clock = at(1_700_000_000_000);
    const ids = new Set(Array.from({ length: 1000 }, () => newId('x', clock, cryptoRandom)));
    expect(ids.size).toBe(1000);
    expect(newId('x', clock, fixedRandom(0))).not.toBe(newId('x', clock, fixedRandom(1)));
  });
});
