import * as z from 'zod/mini';
import type { IdentityStore } from '../../domain/identity-stores/identity-store.ts';
import { numberMap, parseItem } from './parse-item.ts';

const numberRecord = numberMap();

/** An identity store as `IdentityStoreTable` writes it (the key attributes are dropped before parsing). */
const identityStoreSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  smsAuth: z.looseObject({
    enabled: z.boolean(),
    gatewayId: z.nullable(z.string()),
    fallbackGatewayIds: z.array(z.string()),
    messageTemplate: z.string(),
    enforcedRoles: z.array(z.string()),
    identitySources: z.optional(z.array(z.string())),
    messageTemplates: z.optional(z.record(z.string(), z.string())),
    maxSegments: z.optional(z.nullable(z.number())),
  }),
  codePolicy: z.looseObject({
    length: z.number(),
    ttlSeconds: z.number(),
    maxAttempts: z.number(),
    resendIntervalSeconds: z.number(),
  }),
  sendLimits: z.looseObject({
    perPhonePer10Minutes: z.number(),
    perPhonePerDay: z.number(),
    perStorePerDay: z.number(),
  }),
  allowedCountries: z.array(z.string()),
  // Stores written before the fraud guard have neither: withFraudDefaults fills them in.
  fraudGuard: z.optional(
    z.looseObject({
      mode: z.enum(['enforce', 'monitor', 'off']),
      prefixDigits: z.number(),
      maxUnverifiedPerPrefixPerHour: z.number(),
      maxUnverifiedPerCountryPerHour: z.number(),
      perClientIpPer10Minutes: z.number(),
      perApplicationPerMinute: z.nullable(z.number()),
    }),
  ),
  spendLimits: z.optional(
    z.looseObject({
      currency: z.enum(['USD']),
      pricePerSegment: numberRecord,
      dailyBudget: z.nullable(z.number()),
      countryDailyBudget: z.nullable(numberRecord),
    }),
  ),
  testNumbers: z.optional(
    z.array(z.looseObject({ phoneNumber: z.string(), codeLength: z.number(), codeDigest: z.string() })),
  ),
  trustedNumbers: z.optional(z.array(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

export type IdentityStoreItem = Omit<IdentityStore, 'fraudGuard' | 'spendLimits'> &
  Partial<Pick<IdentityStore, 'fraudGuard' | 'spendLimits'>>;

export function parseIdentityStore(item: Record<string, unknown>, where: string): IdentityStoreItem {
  return parseItem<IdentityStoreItem>('identity store', identityStoreSchema, item, where);
}
