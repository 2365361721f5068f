import * as z from 'zod';
import { gatewayParams } from '../api/gateway-schemas.ts';
import { defineOperation } from './operation.ts';

/** Every receipt route is under it (the CDK gives them the send throttle). */
export const RECEIPT_PATH_PREFIX = '/callbacks/';

/** A provider's delivery receipt (api.md "Delivery receipts"): the provider's own signature, no API key. */
export const receiveReceipt = defineOperation({
  id: 'callbacks-receive',
  method: 'POST',
  path: '/callbacks/{gatewayId}',
  // No authorizer: the handler checks the provider's signature with the gateway's callbackSecret.
  auth: 'hook-secret',
  access: ['config:read', 'gateway-secrets:read', 'deliveries:write', 'events:publish', 'reroutes:enqueue'],
  summary:
    'Receive a delivery receipt, signed by the provider (form or JSON body; unknown fields ignored; every refusal is the same 401)',
  params: gatewayParams,
  status: 204,
  problems: [],
});

/** Lax on purpose: whatever is wrong with an address (or its token) is the one 401, never a 400. */
const addressedParams = z.object({ gatewayId: z.string().max(200), sendId: z.string().max(200) });

const addressed = {
  path: '/callbacks/{gatewayId}/{sendId}',
  // No authorizer: the handler checks the address's token (HMAC of the send under the receipt key).
  auth: 'hook-secret',
  access: [
    'config:read',
    'gateway-secrets:read',
    'receipt-key:read',
    'deliveries:write',
    'events:publish',
    // A failed receipt arms its reroute job at once.
    'reroutes:enqueue',
  ],
  params: addressedParams,
  status: 204,
  problems: [],
} as const;

/**
 * A delivery report on a message's own receipt address (api.md "Receipts per provider": sinch and
 * infobip post, messagebird posts or gets): `?t=<token>` is its proof; every refusal is the same 401.
 */
export const receiveAddressedReceipt = defineOperation({
  ...addressed,
  id: 'callbacks-receive-send',
  method: 'POST',
  // Infobip posts up to 100 reports of about 600 bytes each.
  bodyLimitBytes: 128 * 1024,
  summary:
    "Receive delivery reports on a message's own receipt address (`?t=<token>`; Sinch, Infobip up to 100 per request, MessageBird); every refusal is the same 401",
});

export const receiveAddressedReceiptGet = defineOperation({
  ...addressed,
  id: 'callbacks-receive-send-get',
  method: 'GET',
  summary: "Receive a MessageBird status report as a GET on the message's own receipt address (`?t=<token>`)",
});
