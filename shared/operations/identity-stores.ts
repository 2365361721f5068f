import { createApiKeyBody, apiKeyParams } from '../api/api-key-schemas.ts';
import { pageQuery } from '../api/common.ts';
import {
  createIdentityStoreBody,
  storeParams,
  updateIdentityStoreBody,
} from '../api/identity-store-schemas.ts';
import { apiKeysSchema, createdApiKeySchema, identityStoreSchema, page } from '../api/response-schemas.ts';
import { defineOperation } from './operation.ts';

export const createIdentityStore = defineOperation({
  id: 'identity-stores-create',
  method: 'POST',
  path: '/admin/identity-stores',
  auth: 'admin',
  access: ['table:write'],
  summary: 'Create an identity store; links the default gateway when none is named',
  body: createIdentityStoreBody,
  status: 201,
  response: identityStoreSchema,
  problems: [],
});

export const listIdentityStores = defineOperation({
  id: 'identity-stores-list',
  method: 'GET',
  path: '/admin/identity-stores',
  auth: 'admin',
  access: ['table:read'],
  summary: 'List identity stores',
  query: pageQuery,
  status: 200,
  response: page(identityStoreSchema),
  problems: [],
});

export const getIdentityStore = defineOperation({
  id: 'identity-stores-get',
  method: 'GET',
  path: '/admin/identity-stores/{storeId}',
  auth: 'admin',
  access: ['table:read'],
  summary: 'Get an identity store',
  params: storeParams,
  status: 200,
  response: identityStoreSchema,
  problems: ['not-found'],
});

export const updateIdentityStore = defineOperation({
  id: 'identity-stores-update',
  method: 'PATCH',
  path: '/admin/identity-stores/{storeId}',
  auth: 'admin',
  access: ['table:write'],
  summary: 'Update an identity store (JSON Merge Patch); relinks gateways atomically',
  params: storeParams,
  body: updateIdentityStoreBody,
  status: 200,
  response: identityStoreSchema,
  problems: ['not-found'],
  ifMatch: true,
});

export const deleteIdentityStore = defineOperation({
  id: 'identity-stores-delete',
  method: 'DELETE',
  path: '/admin/identity-stores/{storeId}',
  auth: 'admin',
  access: ['table:write'],
  summary: 'Delete an identity store, unlinking its gateways and revoking its API keys',
  params: storeParams,
  status: 204,
  problems: ['not-found'],
  ifMatch: true,
});

export const createApiKey = defineOperation({
  id: 'api-keys-create',
  method: 'POST',
  path: '/admin/identity-stores/{storeId}/api-keys',
  auth: 'admin',
  access: ['table:write'],
  summary: 'Create an API key for a client application (the key is shown once)',
  params: storeParams,
  body: createApiKeyBody,
  status: 201,
  response: createdApiKeySchema,
  problems: ['not-found'],
});

export const listApiKeys = defineOperation({
  id: 'api-keys-list',
  method: 'GET',
  path: '/admin/identity-stores/{storeId}/api-keys',
  auth: 'admin',
  access: ['table:read'],
  summary: 'List the API keys of an identity store',
  params: storeParams,
  status: 200,
  response: apiKeysSchema,
  problems: ['not-found'],
});

export const deleteApiKey = defineOperation({
  id: 'api-keys-delete',
  method: 'DELETE',
  path: '/admin/identity-stores/{storeId}/api-keys/{keyId}',
  auth: 'admin',
  access: ['table:write'],
  summary: 'Revoke an API key',
  params: apiKeyParams,
  status: 204,
  problems: ['not-found'],
});
