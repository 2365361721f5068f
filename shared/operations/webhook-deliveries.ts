import { pageQuery } from '../api/common.ts';
import { page } from '../api/page-schema.ts';
import {
  deliveryParams,
  retryAcceptedSchema,
  webhookDeliverySchema,
} from '../api/webhook-delivery-schemas.ts';
import { webhookParams } from '../api/webhook-schemas.ts';
import { defineOperation } from './operation.ts';

/** api.md "Support desk": a webhook's deliveries, kept 7 days, and the admin's Retry. */
const DELIVERIES = '/admin/identity-stores/{storeId}/webhooks/{webhookId}/deliveries';

export const listWebhookDeliveries = defineOperation({
  id: 'webhook-deliveries-list',
  method: 'GET',
  path: DELIVERIES,
  auth: 'admin',
  // The webhook (404 when it is not of that store), then its deliveries' partition.
  access: ['webhooks:read', 'webhook-deliveries:read'],
  summary: "A webhook's deliveries of the last 7 days, newest event first",
  params: webhookParams,
  query: pageQuery,
  status: 200,
  response: page(webhookDeliverySchema),
  problems: ['not-found'],
});

export const retryWebhookDelivery = defineOperation({
  id: 'webhook-deliveries-retry',
  method: 'POST',
  path: `${DELIVERIES}/{deliveryId}/retry`,
  auth: 'admin',
  // Deployed the claimed attempt is made by the delivery worker: the event goes back on its queue.
  access: ['webhooks:read', 'webhook-deliveries:write', 'webhook-queue:send'],
  summary: 'Deliver the event again now (same webhook-id, a new timestamp and signature)',
  params: deliveryParams,
  status: 202,
  response: retryAcceptedSchema,
  problems: ['not-found', 'conflict'],
  audit: { type: 'admin.webhook-delivery.retried', subject: 'deliveryId' },
});
