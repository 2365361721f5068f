import { createApiKeyBody, apiKeyParams } from '../api/api-key-schemas.ts';
import {
  createIdentityStoreBody,
  storeParams,
  updateIdentityStoreBody,
} from '../api/identity-store-schemas.ts';
import { apiKeysSchema, createdApiKeySchema, identityStoreSchema } from '../api/response-schemas.ts';
import { adminResource } from './admin-resource.ts';
import { defineOperation } from './operation.ts';

export const {
  create: createIdentityStore,
  list: listIdentityStores,
  get: getIdentityStore,
  update: updateIdentityStore,
  delete: deleteIdentityStore,
} = adminResource({
  name: 'identity-stores',
  path: '/admin/identity-stores',
  idParam: 'storeId',
  auditName: 'identity-store',
  params: storeParams,
  createBody: createIdentityStoreBody,
  updateBody: updateIdentityStoreBody,
  response: identityStoreSchema,
  // The pepper's key material keys the test numbers' fixed codes (never stored in plain).
  create: {
    summary: 'Create an identity store; links the default gateway when none is named',
    access: ['config:write', 'pepper:read'],
  },
  list: { summary: 'List identity stores' },
  get: { summary: 'Get an identity store' },
  update: {
    summary: 'Update an identity store (JSON Merge Patch); relinks gateways atomically',
    access: ['config:write', 'pepper:read'],
  },
  delete: {
    summary: 'Delete an identity store, unlinking its gateways and revoking its API keys',
    access: ['config:write', 'api-keys:write'],
  },
});

/** An identity store's API keys: each route reads the store first, so an unknown store is `not-found`. */
const KEYS = '/admin/identity-stores/{storeId}/api-keys';
const storeKeys = {
  auth: 'admin',
  path: KEYS,
  params: storeParams,
  access: ['config:read', 'api-keys:write'],
  problems: ['not-found'],
} as const;

export const createApiKey = defineOperation({
  ...storeKeys,
  id: 'api-keys-create',
  // The key is written on condition that its store (and its application) exists, in the same transaction.
  access: [...storeKeys.access, 'stores:check'],
  method: 'POST',
  summary: 'Create an API key for a client application (the key is shown once)',
  body: createApiKeyBody,
  status: 201,
  response: createdApiKeySchema,
  audit: { type: 'admin.api-key.created', subject: 'keyId' },
});

export const listApiKeys = defineOperation({
  ...storeKeys,
  id: 'api-keys-list',
  method: 'GET',
  access: ['config:read', 'api-keys:read'],
  summary: 'List the API keys of an identity store',
  status: 200,
  response: apiKeysSchema,
});

export const deleteApiKey = defineOperation({
  ...storeKeys,
  id: 'api-keys-delete',
  method: 'DELETE',
  path: `${KEYS}/{keyId}`,
  summary: 'Revoke an API key',
  params: apiKeyParams,
  status: 204,
  audit: { type: 'admin.api-key.deleted', subject: 'keyId' },
});
