import {
  DEFAULT_CODE_POLICY,
  DEFAULT_FRAUD_GUARD,
  DEFAULT_SEND_LIMITS,
  DEFAULT_SPEND_LIMITS,
  type IdentityStore,
  type SmsAuthSettings,
} from '../../shared/domain/identity-stores/identity-store.ts';

export type StoreOverrides = Omit<Partial<IdentityStore>, 'smsAuth'> & { smsAuth?: Partial<SmsAuthSettings> };

/**
 * An identity store as the use cases see it (defaults everywhere, gateway `gw_1` linked), for unit tests
 * that talk to in-memory ports; a test names only what it depends on.
 */
export function storeFixture({ smsAuth, ...overrides }: StoreOverrides = {}): IdentityStore {
  return {
    id: 'ids_1',
    name: 'store',
    codePolicy: DEFAULT_CODE_POLICY,
    sendLimits: DEFAULT_SEND_LIMITS,
    allowedCountries: [],
    fraudGuard: DEFAULT_FRAUD_GUARD,
    spendLimits: DEFAULT_SPEND_LIMITS,
    createdAt: '',
    updatedAt: '',
    version: 1,
    ...overrides,
    smsAuth: {
      enabled: true,
      gatewayId: 'gw_1',
      fallbackGatewayIds: [],
      messageTemplate: 'Code [Code]',
      enforcedRoles: [],
      ...smsAuth,
    },
  };
}
