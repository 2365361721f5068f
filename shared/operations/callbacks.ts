import { gatewayParams } from '../api/gateway-schemas.ts';
import { defineOperation } from './operation.ts';

/** A provider's delivery receipt (api.md "Delivery receipts"): the provider's own signature, no API key. */
export const receiveReceipt = defineOperation({
  id: 'callbacks-receive',
  method: 'POST',
  path: '/callbacks/{gatewayId}',
  // No authorizer: the handler checks the provider's signature with the gateway's callbackSecret.
  auth: 'hook-secret',
  access: ['config:read', 'gateway-secrets:read', 'deliveries:write', 'events:publish'],
  summary:
    'Receive a delivery receipt, signed by the provider (form or JSON body; unknown fields ignored; every refusal is the same 401)',
  params: gatewayParams,
  status: 204,
  problems: [],
});
