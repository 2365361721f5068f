import fc from 'fast-check';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { testCodeDigest } from '../../shared/domain/codes/code.ts';
import { ValidationFailed } from '../../shared/domain/errors.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import { IdentityStoreService } from '../../shared/domain/identity-stores/identity-store-service.ts';
import { NUMBER_LIST_RULES } from '../../shared/domain/identity-stores/number-list-rules.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import { fictionalNumber } from '../../shared/domain/sending/number-class.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';

const PEPPER = Buffer.alloc(32, 3);

/** The service over a map: what the store item would hold is what `saved` shows. */
function service(testNumbersAllowed: boolean) {
  const saved = new Map<string, IdentityStore>();
  const stores = {
    create: async (store: IdentityStore) => void saved.set(store.id, store),
    get: async (id: string) => saved.get(id),
    list: async () => ({ items: [...saved.values()] }),
    update: async (next: IdentityStore) => void saved.set(next.id, next),
    delete: async (store: IdentityStore) => void saved.delete(store.id),
  };
  const identityStores = new IdentityStoreService({
    stores,
    gateways: { defaultGatewayId: async () => undefined },
    applications: { list: async () => ({ items: [] }) },
    cleanup: { storeDeleted: async () => undefined },
    clock: new ManualClock(),
    random: cryptoRandom,
    pepper: fixedPepper(PEPPER),
    numberLists: async () => NUMBER_LIST_RULES,
    testNumbersAllowed,
  });
  return { identityStores, saved };
}

async function problemsOf(write: Promise<unknown>) {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).extensions.errors;
}

const TEST_NUMBERS = [{ phoneNumber: '447700900123', code: '246810' }];

describe('identity store test and trusted numbers', () => {
  it('refuses test numbers when the deployment does not allow them (TEST_NUMBERS_ALLOWED off)', async () => {
    const { identityStores } = service(false);
    expect(await problemsOf(identityStores.create({ name: 's', testNumbers: TEST_NUMBERS }))).toEqual([
      { path: 'testNumbers', message: expect.stringMatching(/not allowed/) },
    ]);
    const store = await identityStores.create({ name: 's', trustedNumbers: ['447400123456'] });
    expect(store.trustedNumbers).toEqual(['+447400123456']);
    expect(await problemsOf(identityStores.update(store.id, { testNumbers: TEST_NUMBERS }))).toEqual([
      { path: 'testNumbers', message: expect.stringMatching(/not allowed/) },
    ]);
  });

  it('keeps only a keyed digest of each code, and its length', async () => {
    const { identityStores, saved } = service(true);
    const store = await identityStores.create({ name: 's', testNumbers: TEST_NUMBERS });
    expect(saved.get(store.id)!.testNumbers).toEqual([
      {
        phoneNumber: '+447700900123',
        codeLength: 6,
        codeDigest: testCodeDigest(PEPPER, store.id, '246810'),
      },
    ]);
    expect(JSON.stringify(saved.get(store.id))).not.toContain('246810');
  });

  it('refuses a codePolicy.length change that breaks a kept test code, at its path; a patch without the list keeps it', async () => {
    const { identityStores } = service(true);
    const store = await identityStores.create({ name: 's', testNumbers: TEST_NUMBERS });
    expect(await problemsOf(identityStores.update(store.id, { codePolicy: { length: 8 } }))).toEqual([
      { path: 'testNumbers.0.code', message: 'must have 8 digits (codePolicy.length)' },
    ]);
    const renamed = await identityStores.update(store.id, { name: 'renamed' });
    expect(renamed.testNumbers).toEqual(store.testNumbers);
    const both = await identityStores.update(store.id, {
      codePolicy: { length: 8 },
      testNumbers: [{ phoneNumber: '+447700900123', code: '24681012' }],
    });
    expect(both.testNumbers?.[0]?.codeLength).toBe(8);
    expect((await identityStores.update(store.id, { testNumbers: null })).testNumbers).toEqual([]);
  });

  it('refuses a real number as a test number and a fictional one as a trusted number', async () => {
    const { identityStores } = service(true);
    expect(
      await problemsOf(
        identityStores.create({
          name: 's',
          testNumbers: [{ phoneNumber: '+447400123456', code: '123456' }],
          trustedNumbers: ['+447700900123'],
        }),
      ),
    ).toEqual([
      { path: 'testNumbers.0.phoneNumber', message: expect.stringMatching(/fictional/) },
      { path: 'trustedNumbers.0', message: expect.stringMatching(/valid/) },
    ]);
  });
});

describe("the store writes' trusted numbers and the send path", () => {
  const mobiles = getCountries()
    .map((country) => getExampleNumber(country, examples)?.number)
    .filter((n): n is NonNullable<typeof n> => n !== undefined);

  it('keep a trusted number as the E.164 the send path parses from it, however it is written', async () => {
    const { identityStores } = service(false);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...mobiles),
        fc.boolean(),
        fc.integer({ min: 0, max: 99 }),
        async (e164, withPlus, last) => {
          // Vary the last two digits so that numbers the library calls invalid are tried too.
          const number = `${e164.slice(0, -2)}${String(last).padStart(2, '0')}`;
          const written = withPlus ? number : number.slice(1);
          const sent = parsePhone(written);
          const write = identityStores.create({ name: 's', trustedNumbers: [written] });
          if (!sent || fictionalNumber(written)) {
            // Invalid to the send path, or fictional (a test number's range): refused, never kept.
            await expect(write).rejects.toBeInstanceOf(ValidationFailed);
            return;
          }
          expect((await write).trustedNumbers).toEqual([sent.e164]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('are refused by a write whose wiring did not hand the rules in, before anything is kept', async () => {
    const saved = new Map<string, IdentityStore>();
    const reads = new IdentityStoreService({
      stores: { create: async (store: IdentityStore) => void saved.set(store.id, store) } as never,
      gateways: { defaultGatewayId: async () => undefined },
      applications: { list: async () => ({ items: [] }) },
      clock: new ManualClock(),
      random: cryptoRandom,
    });
    await expect(reads.create({ name: 's', trustedNumbers: ['447400123456'] })).rejects.toThrow(
      /number lists' rules/,
    );
    expect(saved.size).toBe(0);
  });
});
