import { MAX_TEST_NUMBERS, MAX_TRUSTED_NUMBERS } from '../domain/sending/number-class.ts';
import * as z from 'zod';
import { idString, ids, int, longText, str, timestamp } from './bounds.ts';
import { LEARN_PURPOSES, ROUTING_BOUNDS } from '../domain/identity-stores/routing-settings.ts';
import {
  MAX_VOICE_TEMPLATES,
  VOICE_CAP_MAX,
  VOICE_TEMPLATE_MAX_LENGTH,
} from '../domain/voice/voice-settings.ts';

// Each feature's answers that a route bundles apart from the rest (a gateway route, the page wrapper).
export {
  gatewaySchema,
  gatewayTypeSchema,
  gatewayTypesSchema,
  testResultSchema,
} from './gateway-responses.ts';
export { page } from './page-schema.ts';

/**
 * What the API answers. Views are typed by these schemas (`z.output`), and the contract check parses
 * every success answer with its operation's schema in tests; strict objects, so that a field a view
 * adds (a secret, say) fails the check instead of reaching clients.
 */
const text = longText;
const count = int(0, 1_000_000_000);

export const problemSchema = z
  .strictObject({
    type: str(2048).meta({
      description: 'URI ending in the slug clients switch on',
      example: 'https://sms-mfa.invalid/problems/not-found',
    }),
    title: str(200),
    status: int(400, 599),
    detail: text,
    errors: z
      .array(z.strictObject({ path: str(1024), message: str(1024) }))
      .max(10_000)
      .optional(),
    attemptsRemaining: int(0, 100).optional(),
    identityStoreIds: ids(10_000).optional(),
    reason: str(64).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const healthSchema = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' });

const messageInfoSchema = z.strictObject({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: int(1, 1000),
});

export const identityStoreSchema = z
  .strictObject({
    id: idString,
    name: str(100),
    smsAuth: z.strictObject({
      enabled: z.boolean(),
      gatewayId: idString.nullable(),
      fallbackGatewayIds: ids(5),
      messageTemplate: text,
      enforcedRoles: z.array(str(128)).max(100),
      identitySources: z.array(str(128)).max(50),
      messageTemplates: z.record(str(35), text).meta({ maxProperties: 50 }),
      maxSegments: int(1, 10).nullable(),
      messageInfo: messageInfoSchema,
      messageInfoByLocale: z
        .record(str(35), messageInfoSchema)
        .meta({ maxProperties: 50, description: 'messageInfo of each messageTemplates entry, by its tag' }),
    }),
    codePolicy: z.strictObject({
      length: int(4, 10),
      ttlSeconds: int(60, 1800),
      maxAttempts: int(1, 10),
      resendIntervalSeconds: int(0, 600),
    }),
    sendLimits: z.strictObject({
      perPhonePer10Minutes: count,
      perPhonePerDay: count,
      perStorePerDay: count,
    }),
    allowedCountries: z.array(str(2)).max(250),
    fraudGuard: z.strictObject({
      mode: z.enum(['enforce', 'monitor', 'off']),
      prefixDigits: int(4, 12),
      maxUnverifiedPerPrefixPerHour: int(1, 1_000_000),
      maxUnverifiedPerCountryPerHour: int(1, 10_000_000),
      perClientIpPer10Minutes: int(1, 1_000_000),
      perApplicationPerMinute: int(1, 10_000_000).nullable(),
    }),
    spendLimits: z.strictObject({
      currency: z.enum(['USD']),
      pricePerSegment: z.record(str(7), z.number().min(0).max(100)).meta({ maxProperties: 251 }),
      dailyBudget: z.number().min(0).max(1_000_000_000).nullable(),
      countryDailyBudget: z
        .record(str(7), z.number().min(0).max(1_000_000_000))
        .nullable()
        .meta({ maxProperties: 251 }),
      pricePerCall: z.record(str(7), z.number().min(0).max(100)).meta({ maxProperties: 251 }),
    }),
    voice: z
      .strictObject({
        enabled: z.boolean(),
        allowedCountries: z.array(str(2)).max(250),
        perPhonePerDay: int(1, VOICE_CAP_MAX),
        perStorePerDay: int(1, VOICE_CAP_MAX),
        allowVerifyPhone: z.boolean(),
        messageTemplate: str(VOICE_TEMPLATE_MAX_LENGTH * 2),
        messageTemplates: z
          .record(str(35), str(VOICE_TEMPLATE_MAX_LENGTH * 2))
          .meta({ maxProperties: MAX_VOICE_TEMPLATES }),
      })
      .meta({ description: 'Voice calls: the same codes spoken in a call (api.md "Voice calls")' }),
    testNumbers: z
      .array(z.strictObject({ phoneNumber: str(16), codeLength: int(4, 10) }))
      .max(MAX_TEST_NUMBERS)
      .meta({ description: 'Fictional numbers with a fixed code; the code is write-only' }),
    trustedNumbers: z.array(str(16)).max(MAX_TRUSTED_NUMBERS),
    routing: z
      .strictObject({
        mode: z.enum(['ordered', 'adaptive']),
        byCountry: z.record(str(2), ids(6)).meta({ maxProperties: 250 }),
        explorePercent: int(ROUTING_BOUNDS.explorePercent.min, ROUTING_BOUNDS.explorePercent.max),
        minSamples: int(ROUTING_BOUNDS.minSamples.min, ROUTING_BOUNDS.minSamples.max),
        windowHours: int(ROUTING_BOUNDS.windowHours.min, ROUTING_BOUNDS.windowHours.max),
        learnFrom: z.array(z.enum(LEARN_PURPOSES)).max(3),
        deliveryDeadlineSeconds: int(
          ROUTING_BOUNDS.deliveryDeadlineSeconds.min,
          ROUTING_BOUNDS.deliveryDeadlineSeconds.max,
        ).nullable(),
      })
      .meta({ description: 'Which linked gateway carries each message (absent members read as defaults)' }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: int(1, 1_000_000_000),
  })
  .meta({ id: 'IdentityStore' });

export const apiKeySchema = z
  .strictObject({
    id: idString,
    name: str(100),
    applicationId: idString.nullable().meta({ description: 'null for a store-level key' }),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = z
  .strictObject({
    id: idString,
    name: str(100),
    key: str(256).meta({ description: 'Shown only here' }),
    applicationId: idString.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'CreatedApiKey' });

export const mfaDecisionSchema = z
  .strictObject({
    userId: str(512),
    sms: z.strictObject({
      enabled: z.boolean(),
      required: z.boolean(),
      status: z.enum(['none', 'pending', 'active']),
      maskedPhone: str(32).optional(),
    }),
    nextStep: z.enum(['none', 'enroll', 'challenge']),
    policy: z
      .enum(['store', 'application'])
      .meta({ description: "Whose policy decided: the key's application's own, or the store's" }),
    resetAt: timestamp
      .optional()
      .meta({ description: "For 7 days after a support desk reset of the user's SMS factor" }),
  })
  .meta({ id: 'MfaDecision' });

export const mfaPolicySchema = z
  .strictObject({
    enabled: z.boolean(),
    enforcedRoles: z.array(str(128)).max(100),
    identitySources: z.array(str(128)).max(50),
  })
  .meta({ id: 'MfaPolicy' });

export const applicationSchema = z
  .strictObject({
    id: idString,
    name: str(100),
    mfaPolicy: mfaPolicySchema
      .nullable()
      .meta({ description: "null: the application follows the identity store's smsAuth" }),
    messageOptions: z
      .strictObject({ originDomain: str(253).nullable(), androidAppHash: str(11).nullable() })
      .meta({ description: "Autofill lines added to the messages of this application's sends" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: int(1, 1_000_000_000),
  })
  .meta({ id: 'Application' });

export const challengeSchema = z
  .strictObject({
    id: idString,
    purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
    maskedPhone: str(32).meta({ example: '+44*******712' }),
    expiresAt: timestamp,
    resendAvailableAt: timestamp,
    attemptsRemaining: int(0, 10),
  })
  .meta({ id: 'Challenge' });

export const enrollmentSchema = z
  .strictObject({ status: z.literal('pending'), challenge: challengeSchema })
  .meta({ id: 'Enrollment' });

export const factorSchema = z
  .strictObject({
    status: z.enum(['pending', 'active']),
    maskedPhone: str(32),
    verifiedAt: timestamp.optional(),
    lastUsedAt: timestamp.optional(),
  })
  .meta({ id: 'SmsFactor' });

export const approvalSchema = z
  .strictObject({
    status: z.literal('approved'),
    purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
    userId: str(512).optional(),
    phoneNumber: str(16).optional().meta({ description: 'verify-phone only' }),
    verifiedAt: timestamp,
  })
  .meta({ id: 'Approval' });

/** A store has at most a few keys in practice; the list is not paged (api.md). */
export const apiKeysSchema = z.strictObject({ items: z.array(apiKeySchema).max(10_000) });
