import * as z from 'zod';
import { CHANNELS, GATEWAY_FIELDS, GATEWAY_TYPES } from '../domain/gateways/gateway-types.ts';
import { CUSTOM_HTTP_AUTH_SCHEMES } from '../domain/gateways/gateway.ts';
import { idString, ids, int, longText, str, timestamp } from './bounds.ts';

/** The gateway routes' answers (response-schemas.ts re-exports them): a gateway route bundles no other. */
const nullableText = longText.nullable();

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

export const testResultSchema = z
  .strictObject({ status: z.literal('sent'), providerMessageId: str(512) })
  .meta({ id: 'TestMessageSent' });

export const gatewayTypesSchema = z.strictObject({
  items: z.array(gatewayTypeSchema).max(GATEWAY_TYPES.length),
});
