import { pageQuery } from '../api/common.ts';
import {
  createIntegrationBody,
  createdIntegrationSchema,
  hookAnswerSchema,
  hookParams,
  integrationParams,
  integrationSchema,
  rotatedSecretSchema,
  updateIntegrationBody,
} from '../api/integration-schemas.ts';
import { storeParams } from '../api/common.ts';
import { page } from '../api/page-schema.ts';
import { defineOperation } from './operation.ts';

/** An identity store's integrations: each route reads the store (or the integration) first. */
const COLLECTION = '/admin/identity-stores/{storeId}/integrations';
const ITEM = `${COLLECTION}/{integrationId}`;
const READ = ['config:read', 'integrations:read'] as const;
const WRITE = ['config:read', 'integrations:write'] as const;

export const createIntegration = defineOperation({
  id: 'integrations-create',
  method: 'POST',
  path: COLLECTION,
  auth: 'admin',
  // The item is written on condition that its store exists, in the same transaction.
  access: [...WRITE, 'stores:check', 'integration-secrets:write'],
  summary: 'Create an identity-provider integration (its hook secret is shown once)',
  params: storeParams,
  body: createIntegrationBody,
  status: 201,
  response: createdIntegrationSchema,
  problems: ['not-found'],
  audit: { type: 'admin.integration.created', subject: 'integrationId' },
});

export const listIntegrations = defineOperation({
  id: 'integrations-list',
  method: 'GET',
  path: COLLECTION,
  auth: 'admin',
  access: READ,
  summary: 'List the identity-provider integrations of an identity store',
  params: storeParams,
  query: pageQuery,
  status: 200,
  response: page(integrationSchema),
  problems: ['not-found'],
});

export const getIntegration = defineOperation({
  id: 'integrations-get',
  method: 'GET',
  path: ITEM,
  auth: 'admin',
  access: READ,
  summary: 'Get an identity-provider integration',
  params: integrationParams,
  status: 200,
  response: integrationSchema,
  problems: ['not-found'],
});

export const updateIntegration = defineOperation({
  id: 'integrations-update',
  method: 'PATCH',
  path: ITEM,
  auth: 'admin',
  access: WRITE,
  summary: 'Update an identity-provider integration (JSON Merge Patch)',
  params: integrationParams,
  body: updateIntegrationBody,
  status: 200,
  response: integrationSchema,
  ifMatch: true,
  problems: ['not-found'],
  audit: { type: 'admin.integration.updated', subject: 'integrationId' },
});

export const deleteIntegration = defineOperation({
  id: 'integrations-delete',
  method: 'DELETE',
  path: ITEM,
  auth: 'admin',
  access: [...WRITE, 'integration-secrets:write'],
  summary: 'Delete an identity-provider integration and its secret',
  params: integrationParams,
  status: 204,
  ifMatch: true,
  problems: ['not-found'],
  audit: { type: 'admin.integration.deleted', subject: 'integrationId' },
});

export const rotateIntegrationSecret = defineOperation({
  id: 'integrations-rotate-secret',
  method: 'POST',
  path: `${ITEM}/rotate-secret`,
  auth: 'admin',
  // integrations:write: the item's rotation mark, the write its audit record commits with.
  access: [...READ, 'integrations:write', 'integration-secrets:read', 'integration-secrets:write'],
  summary: 'Rotate the hook secret; the previous one keeps working for 24 hours',
  params: integrationParams,
  status: 201,
  response: rotatedSecretSchema,
  problems: ['not-found'],
  audit: { type: 'admin.integration.rotated', subject: 'integrationId' },
});

/**
 * An identity provider's hook: no API key, authenticated by the integration's secret. The body is read
 * raw (a Standard Webhooks signature covers its bytes) and parsed by the integration's kind.
 */
export const receiveHook = defineOperation({
  id: 'hooks-receive',
  method: 'POST',
  path: '/hooks/{integrationId}',
  auth: 'hook-secret',
  access: [
    'config:read',
    'integrations:read',
    'integration-secrets:read',
    'challenges:write',
    'gateway-secrets:read',
    'pepper:read',
  ],
  summary: 'Deliver a code that an identity provider generated (Supabase, Okta, Kratos, Auth0)',
  params: hookParams,
  status: 200,
  response: hookAnswerSchema,
  problems: ['sms-disabled', 'phone-not-allowed', 'rate-limited', 'gateway-error', 'conflict'],
  sends: true,
  problemsAs500: true,
});
