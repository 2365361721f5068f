import * as z from 'zod';
import { isCountryCode } from '../domain/countries.ts';
import { DEFAULT_PRICE_PER_CALL, type IdentityStore } from '../domain/identity-stores/identity-store.ts';
import {
  MAX_VOICE_TEMPLATES,
  VOICE_CAP_MAX,
  VOICE_TEMPLATE_MAX_LENGTH,
  voiceOf,
} from '../domain/voice/voice-settings.ts';
import { TEMPLATE_MAX_LENGTH, templateInfo } from '../domain/sms-encoding.ts';
import { identitySources } from './application-schemas.ts';
import { int } from './bounds.ts';
import { phoneNumber, resourceId, text } from './common.ts';
import { amount, countryMap } from './price-schemas.ts';
import { MAX_TEST_NUMBERS, MAX_TRUSTED_NUMBERS } from '../domain/sending/number-class.ts';
import { LOCALE_MAX_LENGTH, MAX_MESSAGE_TEMPLATES } from '../domain/messages/locale.ts';
import { MAX_SEGMENTS_LIMIT } from '../domain/messages/segment-budget.ts';
import type { identityStoreSchema } from './response-schemas.ts';
import { LEARN_PURPOSES, ROUTING_BOUNDS, routingOf } from '../domain/identity-stores/routing-settings.ts';

const country = z
  .string()
  .max(2)
  .refine(isCountryCode, 'must be an upper-case ISO 3166-1 alpha-2 code of a country with phone numbers');

const role = z.string().trim().min(1).max(128);

/** Every member optional and nullable (null restores the default), as JSON Merge Patch wants. */
const smsAuth = z.strictObject({
  enabled: z.boolean().nullish(),
  gatewayId: resourceId.nullish(),
  fallbackGatewayIds: z.array(resourceId).max(5).nullish(),
  // A character is at most 2 UTF-16 units; the domain's template rules count characters and say so.
  messageTemplate: z
    .string()
    .max(TEMPLATE_MAX_LENGTH * 2)
    .nullish(),
  enforcedRoles: z.array(role).max(100).nullish(),
  identitySources: identitySources.nullish(),
  // Keys and texts are judged in the domain (messages/template-problems.ts), each error at its language's path.
  messageTemplates: z
    .record(
      z.string().max(LOCALE_MAX_LENGTH),
      z
        .string()
        .max(TEMPLATE_MAX_LENGTH * 2)
        .nullable(),
    )
    .meta({
      maxProperties: MAX_MESSAGE_TEMPLATES,
      description:
        "Templates by BCP 47 language tag, each with [Code]; a send's locale picks one (RFC 4647 lookup)",
    })
    .nullish(),
  maxSegments: int(1, MAX_SEGMENTS_LIMIT).nullish().meta({
    description: "Every message (each language, each application's lines) must fit in this many segments",
  }),
});

const codePolicy = z.strictObject({
  length: int(4, 10).nullish(),
  ttlSeconds: int(60, 1800).nullish(),
  maxAttempts: int(1, 10).nullish(),
  resendIntervalSeconds: int(0, 600).nullish(),
});

const sendLimits = z.strictObject({
  perPhonePer10Minutes: int(1, 1000).nullish(),
  perPhonePerDay: int(1, 10_000).nullish(),
  perStorePerDay: int(1, 100_000_000).nullish(),
});

const fraudGuard = z.strictObject({
  mode: z.enum(['enforce', 'monitor', 'off']).nullish(),
  prefixDigits: int(4, 12).nullish(),
  maxUnverifiedPerPrefixPerHour: int(1, 1_000_000).nullish(),
  maxUnverifiedPerCountryPerHour: int(1, 10_000_000).nullish(),
  perClientIpPer10Minutes: int(1, 1_000_000).nullish(),
  perApplicationPerMinute: int(1, 10_000_000).nullish(),
});

const spendLimits = z.strictObject({
  currency: z.enum(['USD']).nullish(),
  pricePerSegment: countryMap(amount(100)).nullish(),
  dailyBudget: amount(1_000_000_000).nullish(),
  countryDailyBudget: countryMap(amount(1_000_000_000)).nullish(),
  pricePerCall: countryMap(amount(100)).nullish(),
});

/** The domain checks what needs the whole store (enabled needs countries, the deployment's switch, templates). */
const voice = z.strictObject({
  enabled: z.boolean().nullish(),
  allowedCountries: z.array(country).max(250).nullish(),
  perPhonePerDay: int(1, VOICE_CAP_MAX).nullish(),
  perStorePerDay: int(1, VOICE_CAP_MAX).nullish(),
  allowVerifyPhone: z.boolean().nullish(),
  messageTemplate: z
    .string()
    .max(VOICE_TEMPLATE_MAX_LENGTH * 2)
    .nullish(),
  messageTemplates: z
    .record(
      z.string().max(35),
      z
        .string()
        .max(VOICE_TEMPLATE_MAX_LENGTH * 2)
        .nullable(),
    )
    .refine((map) => Object.keys(map).length <= MAX_VOICE_TEMPLATES, `at most ${MAX_VOICE_TEMPLATES} entries`)
    .meta({ maxProperties: MAX_VOICE_TEMPLATES })
    .nullish(),
});

/** The code is checked against the policy's length in the domain (the length may change in the same write). */
const testNumber = z.strictObject({
  phoneNumber,
  code: z
    .string()
    .max(10)
    .regex(/^\d{4,10}$/, 'must be 4 to 10 digits'),
});

const bounded = (name: keyof typeof ROUTING_BOUNDS) =>
  int(ROUTING_BOUNDS[name].min, ROUTING_BOUNDS[name].max);

/** The linked gateways each country's numbers try first; that each id is linked is the domain's check. */
const byCountry = z
  .record(z.string().max(2), z.array(resourceId).min(1).max(6).nullable())
  .superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      if (!isCountryCode(key))
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be an ISO country code' });
    }
  })
  .refine((map) => Object.keys(map).length <= 250, 'at most 250 entries')
  .meta({ maxProperties: 250 });

const routing = z.strictObject({
  mode: z.enum(['ordered', 'adaptive']).nullish(),
  byCountry: byCountry.nullish(),
  explorePercent: bounded('explorePercent').nullish(),
  minSamples: bounded('minSamples').nullish(),
  windowHours: bounded('windowHours').nullish(),
  learnFrom: z.array(z.enum(LEARN_PURPOSES)).min(1).max(3).nullish(),
  deliveryDeadlineSeconds: bounded('deliveryDeadlineSeconds').nullish(),
});

const settings = {
  smsAuth: smsAuth.nullish(),
  codePolicy: codePolicy.nullish(),
  sendLimits: sendLimits.nullish(),
  allowedCountries: z.array(country).max(250).nullish(),
  fraudGuard: fraudGuard.nullish(),
  spendLimits: spendLimits.nullish(),
  testNumbers: z.array(testNumber).max(MAX_TEST_NUMBERS).nullish(),
  trustedNumbers: z.array(phoneNumber).max(MAX_TRUSTED_NUMBERS).nullish(),
  routing: routing.nullish(),
  voice: voice.nullish(),
};

export const createIdentityStoreBody = z.strictObject({ name: text(100), ...settings });
export const updateIdentityStoreBody = z.strictObject({ name: text(100).optional(), ...settings });

// Kept here too for the callers that name a store's route with its settings.
export { storeParams } from './common.ts';

export function identityStoreView(store: IdentityStore): z.input<typeof identityStoreSchema> {
  const length = store.codePolicy.length;
  const info = (template: string) => {
    const { encoding, segments } = templateInfo(template, length);
    return { encoding, segments };
  };
  const messageTemplates = store.smsAuth.messageTemplates ?? {};
  return {
    id: store.id,
    name: store.name,
    smsAuth: {
      ...store.smsAuth,
      identitySources: store.smsAuth.identitySources ?? [],
      messageTemplates,
      maxSegments: store.smsAuth.maxSegments ?? null,
      messageInfo: info(store.smsAuth.messageTemplate),
      messageInfoByLocale: Object.fromEntries(
        Object.entries(messageTemplates).map(([tag, template]) => [tag, info(template)]),
      ),
    },
    codePolicy: store.codePolicy,
    sendLimits: store.sendLimits,
    allowedCountries: store.allowedCountries,
    fraudGuard: store.fraudGuard,
    spendLimits: {
      ...store.spendLimits,
      pricePerCall: store.spendLimits.pricePerCall ?? { default: DEFAULT_PRICE_PER_CALL },
    },
    voice: voiceOf(store),
    // Write-only codes: the representation names the number and its code's length, never the code.
    testNumbers: (store.testNumbers ?? []).map(({ phoneNumber, codeLength }) => ({
      phoneNumber,
      codeLength,
    })),
    trustedNumbers: store.trustedNumbers ?? [],
    routing: routingOf(store),
    createdAt: store.createdAt,
    updatedAt: store.updatedAt,
    version: store.version,
  };
}
