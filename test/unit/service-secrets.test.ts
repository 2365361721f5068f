import { describe, expect, it } from 'vitest';
import { PepperSource, PEPPER_SECRET_NAME } from '../../shared/domain/codes/pepper.ts';
import { ReceiptKeySource, RECEIPT_KEY_SECRET_NAME } from '../../shared/domain/deliveries/receipt-address.ts';
import type { ServiceSecretOptions } from '../../shared/domain/service-secret.ts';
import type { Clock } from '../../shared/ports/clock.ts';
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

type Reader = () => Promise<Buffer>;

/** Each service secret the functions read, the code pepper and the receipt key: one behaviour. */
const SOURCES = [
  {
    name: PEPPER_SECRET_NAME,
    field: 'pepper',
    make: (store: SecretStore, clock: Clock, options: ServiceSecretOptions): Reader => {
      const source = new PepperSource(store, clock, cryptoRandom, options);
      return () => source.get();
    },
  },
  {
    name: RECEIPT_KEY_SECRET_NAME,
    field: 'key',
    make: (store: SecretStore, clock: Clock, options: ServiceSecretOptions): Reader => {
      const source = new ReceiptKeySource(store, clock, cryptoRandom, options);
      return () => source.key();
    },
  },
];

describe.each(SOURCES)('the service secret $name', ({ name, field, make }) => {
  it('is created once however many first requests arrive at once (local mode)', async () => {
    const { store, puts } = slowStore();
    const read = make(store, { now: () => new Date() }, { createIfMissing: true });
    const values = await Promise.all(Array.from({ length: 20 }, () => read()));
    expect(new Set(values.map((v) => v.toString('base64'))).size).toBe(1);
    expect(values[0]!.length).toBeGreaterThan(0);
    expect(puts()).toBe(1);
  });

  it('is never invented where it must come from the deployment', async () => {
    const { store, puts } = slowStore();
    const read = make(store, { now: () => new Date() }, { createIfMissing: false });
    await expect(read()).rejects.toThrow(name);
    expect(puts()).toBe(0);
  });

  it('is kept for its cache time, then read again (a rotation shows)', async () => {
    const { store, values } = slowStore();
    values.set(name, { [field]: 'a'.repeat(40) });
    let now = 0;
    const read = make(store, { now: () => new Date(now) }, { createIfMissing: false, maxAgeMs: 1000 });
    expect((await read()).toString()).toBe('a'.repeat(40));
    values.set(name, { [field]: 'b'.repeat(40) });
    expect((await read()).toString()).toBe('a'.repeat(40));
    now = 1001;
    expect((await read()).toString()).toBe('b'.repeat(40));
  });
});
