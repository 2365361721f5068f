import { storeParams } from '../api/common.ts';
import {
  createdWebhookSchema,
  createWebhookBody,
  rotatedSecretSchema,
  webhookParams,
  webhooksSchema,
} from '../api/webhook-schemas.ts';
import { defineOperation } from './operation.ts';

/** An identity store's webhooks (api.md "Events and webhooks"). */
const HOOKS = '/admin/identity-stores/{storeId}/webhooks';

export const createWebhook = defineOperation({
  id: 'webhooks-create',
  method: 'POST',
  path: HOOKS,
  auth: 'admin',
  // Written on condition that the store exists, in the same transaction.
  access: ['webhooks:write', 'stores:check'],
  summary: 'Create a webhook for the events of an identity store (the secret is shown once)',
  params: storeParams,
  body: createWebhookBody,
  status: 201,
  response: createdWebhookSchema,
  problems: ['not-found'],
  audit: { type: 'admin.webhook.created', subject: 'webhookId' },
});

export const listWebhooks = defineOperation({
  id: 'webhooks-list',
  method: 'GET',
  path: HOOKS,
  auth: 'admin',
  access: ['config:read', 'webhooks:read'],
  summary: 'List the webhooks of an identity store (without secrets)',
  params: storeParams,
  status: 200,
  response: webhooksSchema,
  problems: ['not-found'],
});

export const deleteWebhook = defineOperation({
  id: 'webhooks-delete',
  method: 'DELETE',
  path: `${HOOKS}/{webhookId}`,
  auth: 'admin',
  access: ['webhooks:write'],
  summary: 'Delete a webhook',
  params: webhookParams,
  status: 204,
  problems: ['not-found'],
  audit: { type: 'admin.webhook.deleted', subject: 'webhookId' },
});

export const rotateWebhookSecret = defineOperation({
  id: 'webhooks-rotate-secret',
  method: 'POST',
  path: `${HOOKS}/{webhookId}/rotate-secret`,
  auth: 'admin',
  access: ['webhooks:write'],
  summary: 'Give a webhook a new secret; the previous one also signs for 24 hours',
  params: webhookParams,
  status: 201,
  response: rotatedSecretSchema,
  problems: ['not-found'],
  audit: { type: 'admin.webhook.rotated', subject: 'webhookId' },
});
