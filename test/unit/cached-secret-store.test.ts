import { describe, expect, it } from 'vitest';
import { CachedSecretStore } from '../../shared/adapters/secrets/cached-secret-store.ts';
import type { SecretStore, SecretValue } from '../../shared/ports/secret-store.ts';

function countingStore() {
  const values = new Map<string, SecretValue>();
  let reads = 0;
  let failWith: Error | undefined;
  const store: SecretStore = {
    get: async (name) => {
      reads++;
      if (failWith) throw failWith;
      return values.get(name);
    },
    put: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
  return { store, values, reads: () => reads, fail: (error: Error) => (failWith = error) };
}

describe('CachedSecretStore (Powertools Parameters cache)', () => {
  it('answers from its cache within maxAgeSeconds, reads again when fresh, and without a max age always', async () => {
    const inner = countingStore();
    inner.values.set('gateways/gw_1', { password: 'one' });
    const cached = new CachedSecretStore(inner.store);
    expect(await cached.get('gateways/gw_1', { maxAgeSeconds: 30 })).toEqual({ password: 'one' });
    inner.values.set('gateways/gw_1', { password: 'two' });
    expect(await cached.get('gateways/gw_1', { maxAgeSeconds: 30 })).toEqual({ password: 'one' });
    expect(inner.reads()).toBe(1);
    expect(await cached.get('gateways/gw_1', { maxAgeSeconds: 30, fresh: true })).toEqual({
      password: 'two',
    });
    await cached.get('gateways/gw_1');
    await cached.get('gateways/gw_1', { maxAgeSeconds: 0 });
    expect(inner.reads()).toBe(4);
  });

  it('passes writes through, keeps a cached value for its max age, and caches no absence', async () => {
    const inner = countingStore();
    const cached = new CachedSecretStore(inner.store);
    expect(await cached.get('code-pepper', { maxAgeSeconds: 300 })).toBeUndefined();
    await cached.put('code-pepper', { pepper: 'p'.repeat(40) });
    expect(inner.values.get('code-pepper')).toEqual({ pepper: 'p'.repeat(40) });
    expect(await cached.get('code-pepper', { maxAgeSeconds: 300 })).toEqual({ pepper: 'p'.repeat(40) });
    await cached.delete('code-pepper');
    expect(inner.values.has('code-pepper')).toBe(false);
    // Like a warm function elsewhere: the value it read stays until its max age or a fresh read.
    expect(await cached.get('code-pepper', { maxAgeSeconds: 300 })).toEqual({ pepper: 'p'.repeat(40) });
    expect(await cached.get('code-pepper', { maxAgeSeconds: 300, fresh: true })).toBeUndefined();
  });

  it("passes the store's own error on, not Powertools' wrapper", async () => {
    const inner = countingStore();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    inner.fail(throttled);
    await expect(new CachedSecretStore(inner.store).get('x', { maxAgeSeconds: 30 })).rejects.toBe(throttled);
  });
});
