import type { StoredTestNumber } from '../sending/number-class.ts';
import type { RoutingSettings } from './routing-settings.ts';
import type { VoiceSettings } from '../voice/voice-settings.ts';

export interface SmsAuthSettings {
  enabled: boolean;
  gatewayId: string | null;
  fallbackGatewayIds: string[];
  messageTemplate: string;
  enforcedRoles: string[];
  /** Identity sources the policy applies to; empty: every source. Absent on stores written before it existed. */
  identitySources?: string[];
  /** Templates by language tag (messages/locale.ts chooses); absent on stores written before them. */
  messageTemplates?: Record<string, string>;
  /** Every message must fit in this many segments (messages/segment-budget.ts); null or absent: no limit. */
  maxSegments?: number | null;
}

export interface CodePolicy {
  length: number;
  ttlSeconds: number;
  maxAttempts: number;
  resendIntervalSeconds: number;
}

export interface SendLimits {
  perPhonePer10Minutes: number;
  perPhonePerDay: number;
  perStorePerDay: number;
}

export type FraudGuardMode = 'enforce' | 'monitor' | 'off';

/** Unverified-send velocity limits (api.md "Fraud guard and spend limits"). */
export interface FraudGuard {
  mode: FraudGuardMode;
  prefixDigits: number;
  maxUnverifiedPerPrefixPerHour: number;
  maxUnverifiedPerCountryPerHour: number;
  perClientIpPer10Minutes: number;
  perApplicationPerMinute: number | null;
}

/** Amounts in currency units as the API shows them; the domain sums them in integer millionths. */
export interface SpendLimits {
  currency: 'USD';
  /** `default` always present; other keys are ISO 3166-1 alpha-2 countries. */
  pricePerSegment: Record<string, number>;
  dailyBudget: number | null;
  countryDailyBudget: Record<string, number> | null;
  /** A call's price by country (`default` always present once written); absent: DEFAULT_PRICE_PER_CALL. */
  pricePerCall?: Record<string, number>;
}

export interface IdentityStore {
  id: string;
  name: string;
  smsAuth: SmsAuthSettings;
  codePolicy: CodePolicy;
  sendLimits: SendLimits;
  /** ISO 3166-1 alpha-2; empty means every country. */
  allowedCountries: string[];
  fraudGuard: FraudGuard;
  spendLimits: SpendLimits;
  /** Fictional numbers with a fixed code (number-class.ts); absent on stores written before them. */
  testNumbers?: StoredTestNumber[];
  /** E.164 numbers many users share; absent on stores written before them. */
  trustedNumbers?: string[];
  /** Which gateway carries each message (routing-settings.ts); absent on stores written before it: defaults. */
  routing?: RoutingSettings;
  /** Calls (api.md "Voice calls"); absent on stores written before them: voice off (voiceOf()). */
  voice?: VoiceSettings;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const DEFAULT_MESSAGE_TEMPLATE = 'Your verification code is [Code]';

export const DEFAULT_CODE_POLICY: CodePolicy = {
  length: 6,
  ttlSeconds: 300,
  maxAttempts: 5,
  resendIntervalSeconds: 30,
};

export const DEFAULT_SEND_LIMITS: SendLimits = {
  perPhonePer10Minutes: 5,
  perPhonePerDay: 10,
  perStorePerDay: 10_000,
};

export const DEFAULT_FRAUD_GUARD: FraudGuard = {
  mode: 'enforce',
  prefixDigits: 7,
  maxUnverifiedPerPrefixPerHour: 20,
  maxUnverifiedPerCountryPerHour: 500,
  perClientIpPer10Minutes: 10,
  perApplicationPerMinute: null,
};

export const DEFAULT_PRICE_PER_SEGMENT = 0.05;

export const DEFAULT_PRICE_PER_CALL = 0.1;

export const DEFAULT_SPEND_LIMITS: SpendLimits = {
  currency: 'USD',
  pricePerSegment: { default: DEFAULT_PRICE_PER_SEGMENT },
  dailyBudget: null,
  countryDailyBudget: null,
};

/** Stores written before the fraud guard existed read with its defaults. */
export function withFraudDefaults<T extends Partial<Pick<IdentityStore, 'fraudGuard' | 'spendLimits'>>>(
  store: T,
): T & Pick<IdentityStore, 'fraudGuard' | 'spendLimits'> {
  return {
    ...store,
    fraudGuard: store.fraudGuard ?? DEFAULT_FRAUD_GUARD,
    spendLimits: store.spendLimits ?? DEFAULT_SPEND_LIMITS,
  };
}

/** Primary first, then fallbacks in order: the gateways a store sends through, and the ones it links. */
export function linkedGatewayIds(store: Pick<IdentityStore, 'smsAuth'>): string[] {
  const ids = store.smsAuth.gatewayId ? [store.smsAuth.gatewayId] : [];
  return [...new Set([...ids, ...store.smsAuth.fallbackGatewayIds])];
}

/** Roles compare case-insensitively: "Admins" in a client's token and "admins" in the policy are one role. */
export function roleKey(role: string): string {
  return role.trim().toLowerCase();
}

export function isSmsRequired(store: IdentityStore, roles: readonly string[]): boolean {
  if (!store.smsAuth.enabled) return false;
  const enforced = new Set(store.smsAuth.enforcedRoles.map(roleKey));
  return roles.some((role) => enforced.has(roleKey(role)));
}
