import { describe, expect, it } from 'vitest';
import { PepperSource, PEPPER_SECRET_NAME } from '../../shared/domain/codes/pepper.ts';
import type { SecretStore, SecretValue } from '../../shared/ports/secret-store.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';

function slowStore() {
  const values = new Map<string, SecretValue>();
  let puts = 0;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
  const store: SecretStore = {
    get: async (name) => (await pause(), values.get(name)),
    put: async (name, value) => {
      puts++;
      await pause();
      values.set(name, value);
    },
    delete: async (name) => void values.delete(name),
  };
  return { store, values, puts: () => puts };
}

describe('PepperSource', () => {
  it('creates one pepper however many first requests arrive at once (local mode)', async () => {
    const { store, puts } = slowStore();
    const source = new PepperSource(store, { now: () => new Date() }, cryptoRandom, {
      createIfMissing: true,
    });
    const peppers = await Promise.all(Array.from({ length: 20 }, () => source.get()));
    expect(new Set(peppers.map((p) => p.toString('base64'))).size).toBe(1);
    expect(puts()).toBe(1);
  });

  it('refuses to invent a pepper where it must come from the deployment', async () => {
    const { store } = slowStore();
    const source = new PepperSource(store, { now: () => new Date() }, cryptoRandom, {
      createIfMissing: false,
    });
    await expect(source.get()).rejects.toThrow(PEPPER_SECRET_NAME);
  });

  it('keeps the pepper for its cache time, then reads it again', async () => {
    const { store, values } = slowStore();
    values.set(PEPPER_SECRET_NAME, { pepper: 'a'.repeat(40) });
    let now = 0;
    const source = new PepperSource(store, { now: () => new Date(now) }, cryptoRandom, {
      createIfMissing: false,
      maxAgeMs: 1000,
    });
    expect((await source.get()).toString()).toBe('a'.repeat(40));
    values.set(PEPPER_SECRET_NAME, { pepper: 'b'.repeat(40) });
    expect((await source.get()).toString()).toBe('a'.repeat(40));
    now = 1001;
    expect((await source.get()).toString()).toBe('b'.repeat(40));
  });
});
