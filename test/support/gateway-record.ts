import type { GatewayRecord } from '../../shared/domain/gateways/gateway.ts';

/** A gateway as the table holds it, for adapter tests. */
export function gatewayRecord(overrides: Partial<GatewayRecord>): GatewayRecord {
  return {
    id: 'gw_test',
    name: 'Test gateway',
    type: 'console',
    url: null,
    accountId: null,
    username: null,
    from: null,
    bodyTemplate: null,
    authScheme: null,
    hasPassword: true,
    hasCallbackSecret: false,
    proxy: null,
    linkedIdentityStoreIds: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
