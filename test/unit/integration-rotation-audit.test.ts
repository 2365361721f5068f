import { describe, expect, it } from 'vitest';
import { NotFound } from '../../shared/domain/errors.ts';
import type { Integration } from '../../shared/domain/integrations/integration.ts';
import { IntegrationService } from '../../shared/domain/integrations/integration-service.ts';
import type { IntegrationRepository } from '../../shared/ports/integration-repository.ts';
import { seededRandom } from '../../shared/ports/random.ts';
import type { SecretStore, SecretValue } from '../../shared/ports/secret-store.ts';
import { ManualClock } from '../support/manual-clock.ts';

/**
 * A hook secret's rotation and its audit record: the secret lives in the secret store, the record is
 * committed with the integration item's rotation mark. When that write fails, the rotation is undone.
 */
const T0 = Date.UTC(2026, 11, 7, 5);
const integration: Integration = {
  id: 'int_1',
  storeId: 'ids_1',
  kind: 'okta',
  name: 'okta',
  settings: {},
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
  version: 1,
};

function service(secretRotated: IntegrationRepository['secretRotated']) {
  const values = new Map<string, SecretValue>([['integrations/int_1', { current: 'old-hook-secret' }]]);
  const marks: string[] = [];
  const secrets: SecretStore = {
    put: async (name, value) => void values.set(name, value),
    get: async (name) => values.get(name),
    delete: async (name) => void values.delete(name),
  };
  const integrations = {
    get: async () => integration,
    secretRotated: async (storeId: string, id: string, at: string) => {
      await secretRotated(storeId, id, at);
      marks.push(`${storeId}/${id}@${at}`);
    },
  } as unknown as IntegrationRepository;
  const rotation = new IntegrationService({
    integrations,
    stores: { get: async () => undefined },
    secrets,
    clock: new ManualClock(T0),
    random: seededRandom(5),
    secretCacheSeconds: 60,
  });
  return { rotation, values, marks };
}

describe('IntegrationService.rotateSecret and its audit record', () => {
  it('marks the item rotated (the write its record commits with) after the new secret is stored', async () => {
    const { rotation, values, marks } = service(async () => undefined);
    const secret = await rotation.rotateSecret('ids_1', 'int_1');
    expect(values.get('integrations/int_1')?.current).toBe(secret);
    expect(marks).toEqual([`ids_1/int_1@${new Date(T0).toISOString()}`]);
  });

  it('when the mark and its record cannot be written, the previous secrets are put back', async () => {
    const { rotation, values, marks } = service(async () => {
      throw new NotFound('The integration');
    });
    await expect(rotation.rotateSecret('ids_1', 'int_1')).rejects.toBeInstanceOf(NotFound);
    expect(values.get('integrations/int_1')).toEqual({ current: 'old-hook-secret' });
    expect(marks).toEqual([]);
  });
});
