import * as z from 'zod';
import { GATEWAY_FIELDS, GATEWAY_TYPES } from '../domain/gateways/gateway-types.ts';
import { CUSTOM_HTTP_AUTH_SCHEMES } from '../domain/gateways/gateway.ts';

/** What the API answers, for the OpenAPI document; handlers build these shapes in the *View functions. */
const timestamp = z.string().meta({ format: 'date-time', example: '2026-11-22T10:30:00.000Z' });
const nullableText = z.string().nullable();

export const problemSchema = z
  .object({
    type: z.string().meta({
      description: 'URI ending in the slug clients switch on',
      example: 'https://sms-mfa.invalid/problems/not-found',
    }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    attemptsRemaining: z.number().int().optional(),
    identityStoreIds: z.array(z.string()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const gatewayTypeSchema = z
  .object({
    type: z.enum(GATEWAY_TYPES),
    displayName: z.string(),
    url: nullableText,
    fields: z.record(z.enum(GATEWAY_FIELDS), z.enum(['required', 'optional', 'ignored'])),
    fieldDescriptions: z.record(z.string(), z.string()),
    enabled: z.boolean(),
  })
  .meta({ id: 'GatewayType' });

export const gatewaySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(GATEWAY_TYPES),
    url: nullableText,
    accountId: nullableText,
    username: nullableText,
    from: nullableText,
    bodyTemplate: nullableText,
    authScheme: z.enum(CUSTOM_HTTP_AUTH_SCHEMES).nullable(),
    hasPassword: z.boolean(),
    isDefault: z.boolean(),
    proxy: z
      .object({
        host: z.string(),
        port: z.number().int(),
        domain: nullableText,
        username: nullableText,
        description: nullableText,
        hasPassword: z.boolean(),
      })
      .nullable(),
    linkedIdentityStoreIds: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Gateway', description: 'A gateway account; passwords appear only as hasPassword flags' });

export const identityStoreSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    smsAuth: z.object({
      enabled: z.boolean(),
      gatewayId: nullableText,
      fallbackGatewayIds: z.array(z.string()),
      messageTemplate: z.string(),
      enforcedRoles: z.array(z.string()),
      messageInfo: z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int() }),
    }),
    codePolicy: z.object({
      length: z.number().int(),
      ttlSeconds: z.number().int(),
      maxAttempts: z.number().int(),
      resendIntervalSeconds: z.number().int(),
    }),
    sendLimits: z.object({
      perPhonePer10Minutes: z.number().int(),
      perPhonePerDay: z.number().int(),
      perStorePerDay: z.number().int(),
    }),
    allowedCountries: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'IdentityStore' });

export const apiKeySchema = z
  .object({ id: z.string(), name: z.string(), createdAt: timestamp, lastUsedAt: timestamp.nullable() })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().meta({ description: 'Shown only here' }),
    createdAt: timestamp,
  })
  .meta({ id: 'CreatedApiKey' });

export const mfaDecisionSchema = z
  .object({
    userId: z.string(),
    sms: z.object({
      enabled: z.boolean(),
      required: z.boolean(),
      status: z.enum(['none', 'pending', 'active']),
      maskedPhone: z.string().optional(),
    }),
    nextStep: z.enum(['none', 'enroll', 'challenge']),
  })
  .meta({ id: 'MfaDecision' });

export const challengeSchema = z
  .object({
    id: z.string(),
    purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
    maskedPhone: z.string().meta({ example: '+44*******712' }),
    expiresAt: timestamp,
    resendAvailableAt: timestamp,
    attemptsRemaining: z.number().int(),
  })
  .meta({ id: 'Challenge' });

export const enrollmentSchema = z
  .object({ status: z.literal('pending'), challenge: challengeSchema })
  .meta({ id: 'Enrollment' });

export const factorSchema = z
  .object({
    status: z.enum(['pending', 'active']),
    maskedPhone: z.string(),
    verifiedAt: timestamp.optional(),
    lastUsedAt: timestamp.optional(),
  })
  .meta({ id: 'SmsFactor' });

export const approvalSchema = z
  .object({
    status: z.literal('approved'),
    purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
    userId: z.string().optional(),
    phoneNumber: z.string().optional().meta({ description: 'verify-phone only' }),
    verifiedAt: timestamp,
  })
  .meta({ id: 'Approval' });

export const testResultSchema = z
  .object({ status: z.literal('sent'), providerMessageId: z.string() })
  .meta({ id: 'TestMessageSent' });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextToken: z.string().optional() });
