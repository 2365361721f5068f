import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../shared/domain/errors.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import { NUMBER_LIST_RULES } from '../../shared/domain/identity-stores/number-list-rules.ts';
import { IdentityStoreService } from '../../shared/domain/identity-stores/identity-store-service.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** The identity store service as a deployment with the given `voiceAllowed` (VOICE_ALLOWED) builds it. */
function service(voiceAllowed: boolean) {
  const saved = new Map<string, IdentityStore>();
  return new IdentityStoreService({
    stores: {
      create: async (store: IdentityStore) => void saved.set(store.id, store),
      get: async (id: string) => saved.get(id),
      list: async () => ({ items: [...saved.values()] }),
      update: async (next: IdentityStore) => void saved.set(next.id, next),
      delete: async (store: IdentityStore) => void saved.delete(store.id),
    },
    gateways: { defaultGatewayId: async () => undefined },
    applications: { list: async () => ({ items: [] }) },
    cleanup: { storeDeleted: async () => undefined },
    numberLists: async () => NUMBER_LIST_RULES,
    clock: new ManualClock(),
    random: cryptoRandom,
    pepper: fixedPepper(Buffer.alloc(32, 5)),
    testNumbersAllowed: false,
    voiceAllowed,
  });
}

async function refusal(write: Promise<unknown>): Promise<ValidationFailed> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationFailed);
  return error as ValidationFailed;
}

const VOICE_ON = { voice: { enabled: true, allowedCountries: ['GB'] } };

describe('voiceAllowed: false (the CDK default) at the identity store service', () => {
  it('refuses voice.enabled: true with 400 at voice.enabled, on create and on update; voice settings that stay off are kept', async () => {
    const off = service(false);
    const created = await refusal(off.create({ name: 's', ...VOICE_ON }));
    expect(created.status).toBe(400);
    expect(created.extensions.errors).toEqual([{ path: 'voice.enabled', message: expect.any(String) }]);
    const store = await off.create({ name: 's', voice: { allowedCountries: ['GB'] } });
    const updated = await refusal(off.update(store.id, VOICE_ON));
    expect(updated.extensions.errors).toEqual([{ path: 'voice.enabled', message: expect.any(String) }]);
    // The same write passes where the deployment allows calls.
    expect((await service(true).create({ name: 's', ...VOICE_ON })).voice?.enabled).toBe(true);
  });
});
