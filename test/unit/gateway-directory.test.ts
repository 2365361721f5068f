import { describe, expect, it } from 'vitest';
import { CachedGatewayDirectory } from '../../shared/domain/gateways/gateway-directory.ts';
import type { GatewayRecord } from '../../shared/domain/gateways/gateway.ts';
import { TtlCache } from '../../shared/domain/ttl-cache.ts';
import type { SecretReadOptions, SecretStore } from '../../shared/ports/secret-store.ts';
import { gatewayRecord } from '../support/gateway-record.ts';

describe('CachedGatewayDirectory', () => {
  it('caches the record itself and asks the secret store for credentials of bounded age, fresh on demand', async () => {
    const gateway: GatewayRecord = gatewayRecord({ id: 'gw_1', type: 'twilio', hasPassword: true });
    let recordReads = 0;
    const reads: Array<SecretReadOptions | undefined> = [];
    const secrets: SecretStore = {
      get: async (_name, options) => (reads.push(options), { password: 'token' }),
      put: async () => undefined,
      delete: async () => undefined,
    };
    const directory = new CachedGatewayDirectory(
      { get: async () => (recordReads++, { ...gateway, isDefault: false }) },
      secrets,
      new TtlCache<GatewayRecord | undefined>({ now: () => new Date(0) }, 30_000),
      30,
    );
    expect(await directory.connection('gw_1')).toEqual({
      gateway: { ...gateway, isDefault: false },
      credentials: { password: 'token' },
    });
    await directory.connection('gw_1');
    expect(recordReads).toBe(1);
    await directory.connection('gw_1', { fresh: true });
    expect(recordReads).toBe(2);
    expect(reads).toEqual([
      { maxAgeSeconds: 30, fresh: false },
      { maxAgeSeconds: 30, fresh: false },
      { maxAgeSeconds: 30, fresh: true },
    ]);
  });
});
