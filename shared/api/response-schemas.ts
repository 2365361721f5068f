import { MAX_TEST_NUMBERS, MAX_TRUSTED_NUMBERS } from '../domain/sending/number-class.ts';
import * as z from 'zod';
import { CHANNELS, GATEWAY_FIELDS, GATEWAY_TYPES } from '../domain/gateways/gateway-types.ts';
import { CUSTOM_HTTP_AUTH_SCHEMES } from '../domain/gateways/gateway.ts';
import { idString, int, str, timestamp } from './bounds.ts';
import { LEARN_PURPOSES, ROUTING_BOUNDS } from '../domain/identity-stores/routing-settings.ts';
import {
  MAX_VOICE_TEMPLATES,
  VOICE_CAP_MAX,
  VOICE_TEMPLATE_MAX_LENGTH,
} from '../domain/voice/voice-settings.ts';

/**
 * What the API answers. Views are typed by these schemas (`z.output`), and the contract check parses
 * every success answer with its operation's schema in tests; strict objects, so that a field a view
 * adds (a secret, say) fails the check instead of reaching clients.
 */
const text = str(4096);
const nullableText = text.nullable();
const ids = (max: number) => z.array(idString).max(max);
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

export const gatewayTypeSchema = z
  .strictObject({
    type: z.enum(GATEWAY_TYPES),
    displayName: str(100),
    url: nullableText,
    fields: z.record(z.enum(GATEWAY_FIELDS), z.enum(['required', 'optional', 'ignored'])),
    fieldDescriptions: z.partialRecord(z.enum(GATEWAY_FIELDS), str(512)),
    channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).meta({
      description: 'How this type can deliver a code: `["sms"]` or `["sms", "voice"]`',
    }),
    enabled: z.boolean(),
  })
  .meta({ id: 'GatewayType' });

export const gatewaySchema = z
  .strictObject({
    id: idString,
    name: str(100),
    type: z.enum(GATEWAY_TYPES),
    url: nullableText,
    effectiveUrl: nullableText.meta({
      description: "Where messages go: the url override, else the type's provider URL; null only for console",
    }),
    accountId: nullableText,
    username: nullableText,
    from: nullableText,
    senderIds: z.record(str(2), str(16)).meta({ maxProperties: 250 }),
    bodyTemplate: nullableText,
    authScheme: z.enum(CUSTOM_HTTP_AUTH_SCHEMES).nullable(),
    hasPassword: z.boolean(),
    hasCallbackSecret: z.boolean(),
    isDefault: z.boolean(),
    proxy: z
      .object({
        host: str(253),
        port: int(1, 65535),
        domain: nullableText,
        username: nullableText,
        description: nullableText,
        hasPassword: z.boolean(),
      })
      .nullable(),
    pricePerSegment: z.record(str(7), z.number().min(0).max(100)).nullable().meta({
      maxProperties: 251,
      description: 'Price per SMS segment in priceCurrency; null: the store prices',
    }),
    pricePerCall: z.record(str(7), z.number().min(0).max(100)).nullable().meta({
      maxProperties: 251,
      description: 'Price per voice call in priceCurrency; null: the store pricePerCall',
    }),
    priceCurrency: str(3).meta({ description: 'ISO 4217 of pricePerSegment and pricePerCall' }),
    linkedIdentityStoreIds: ids(10_000),
    health: z
      .strictObject({
        state: z.enum(['closed', 'open', 'half-open']),
        failures: int(0, 1_000_000_000),
        attempts: int(0, 1_000_000_000),
        openedAt: timestamp.optional(),
      })
      .meta({
        description:
          'Transport health over the last 60 s: open after 5+ failures that are at least half of the attempts (skipped for 60 s), then half-open (one trial send)',
      }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: int(1, 1_000_000_000),
  })
  .meta({ id: 'Gateway', description: 'A gateway account; passwords appear only as hasPassword flags' });

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

export const testResultSchema = z
  .strictObject({ status: z.literal('sent'), providerMessageId: str(512) })
  .meta({ id: 'TestMessageSent' });

export const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item).max(100), nextToken: str(2048).optional() });

export const gatewayTypesSchema = z.strictObject({
  items: z.array(gatewayTypeSchema).max(GATEWAY_TYPES.length),
});

/** A store has at most a few keys in practice; the list is not paged (api.md). */
export const apiKeysSchema = z.strictObject({ items: z.array(apiKeySchema).max(10_000) });
