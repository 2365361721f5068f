import * as z from 'zod';
import { GATEWAY_TYPES } from '../domain/gateways/gateway-types.ts';
import { CUSTOM_HTTP_AUTH_SCHEMES, effectiveUrl, type Gateway } from '../domain/gateways/gateway.ts';
import { int } from './bounds.ts';
import { MAX_SENDER_IDS } from '../domain/gateways/sender-ids.ts';
import { hostName, phoneNumber, resourceId, text } from './common.ts';
import { amount, countryMap } from './price-schemas.ts';
import type { gatewaySchema } from './gateway-responses.ts';
import { DEFAULT_PRICE_CURRENCY } from '../domain/sending/prices.ts';
import { CLOSED } from '../domain/gateways/gateway-breaker.ts';
import type { GatewayHealth } from '../ports/gateway-health.ts';

const secret = z.string().min(1, 'must not be empty').max(4096);
const port = int(1, 65535);

const proxyFields = {
  domain: text(253).nullish(),
  username: text(256).nullish(),
  password: secret.nullish(),
  description: text(512).nullish(),
};

const gatewayFields = {
  accountId: text(256).nullish(),
  username: text(256).nullish(),
  password: secret.nullish(),
  callbackSecret: secret.nullish().meta({
    description: 'Write-only: what the provider signs delivery receipts with (shown as hasCallbackSecret)',
  }),
  from: text(64).nullish(),
  // Countries and senders are judged in the domain (gateways/sender-ids.ts), each error at its country's path.
  senderIds: z
    .record(z.string().max(2), z.string().max(64).nullable())
    .meta({
      maxProperties: MAX_SENDER_IDS,
      description:
        'The sender for numbers of a country (ISO code), in place of from: alphanumeric (1-11), a short code or E.164',
    })
    .nullish(),
  bodyTemplate: z.string().min(1).max(4096).nullish(),
  authScheme: z.enum(CUSTOM_HTTP_AUTH_SCHEMES).nullish(),
  url: z.string().trim().min(1).max(2048).nullish(),
  isDefault: z.boolean().nullish(),
  pricePerSegment: countryMap(amount(100)).nullish().meta({
    description:
      'Price per SMS segment in priceCurrency: `default` and ISO country entries (merged; null removes one)',
  }),
  pricePerCall: countryMap(amount(100)).nullish().meta({
    description:
      'Price per voice call in priceCurrency: `default` and ISO country entries (merged; null removes one); absent: the store pricePerCall',
  }),
  priceCurrency: z
    .string()
    .max(3)
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish()
    .meta({ description: 'ISO 4217; default USD. Prices apply only to stores of this currency' }),
};

export const createGatewayBody = z.strictObject({
  name: text(100),
  type: z.enum(GATEWAY_TYPES),
  ...gatewayFields,
  proxy: z.strictObject({ host: hostName, port, ...proxyFields }).nullish(),
});

/** JSON Merge Patch: every field optional, `null` clears; name and type cannot be cleared. */
export const updateGatewayBody = z.strictObject({
  name: text(100).optional(),
  type: z.enum(GATEWAY_TYPES).optional(),
  ...gatewayFields,
  proxy: z.strictObject({ host: hostName.optional(), port: port.optional(), ...proxyFields }).nullish(),
});

export const gatewayParams = z.object({ gatewayId: resourceId });

/** The request bodies as callers write them (the CLI imports these types only). */
export type CreateGatewayBody = z.input<typeof createGatewayBody>;
export type UpdateGatewayBody = z.input<typeof updateGatewayBody>;

export const testGatewayBody = z.strictObject({ phoneNumber });
export type TestGatewayBody = z.input<typeof testGatewayBody>;

/** The public representation: passwords appear only as `hasPassword` flags. */
export function gatewayView(gateway: Gateway, health: GatewayHealth = CLOSED): z.input<typeof gatewaySchema> {
  return {
    id: gateway.id,
    name: gateway.name,
    type: gateway.type,
    url: gateway.url,
    effectiveUrl: effectiveUrl(gateway),
    accountId: gateway.accountId,
    username: gateway.username,
    from: gateway.from,
    senderIds: gateway.senderIds ?? {},
    bodyTemplate: gateway.bodyTemplate,
    authScheme: gateway.authScheme,
    hasPassword: gateway.hasPassword,
    hasCallbackSecret: gateway.hasCallbackSecret,
    isDefault: gateway.isDefault,
    proxy: gateway.proxy && {
      host: gateway.proxy.host,
      port: gateway.proxy.port,
      domain: gateway.proxy.domain,
      username: gateway.proxy.username,
      description: gateway.proxy.description,
      hasPassword: gateway.proxy.hasPassword,
    },
    pricePerSegment: gateway.pricePerSegment ?? null,
    pricePerCall: gateway.pricePerCall ?? null,
    priceCurrency: gateway.priceCurrency ?? DEFAULT_PRICE_CURRENCY,
    linkedIdentityStoreIds: gateway.linkedIdentityStoreIds,
    health,
    createdAt: gateway.createdAt,
    updatedAt: gateway.updatedAt,
    version: gateway.version,
  };
}
