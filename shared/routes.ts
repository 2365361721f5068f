/**
 * The one route table: the CDK stack builds API Gateway routes, authorizers, functions and their
 * grants from it, and the local server serves the same handlers from it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `admin`: IAM (SigV4) when deployed, the admin bearer token locally. `api-key`: the Lambda authorizer. */
export type RouteAuth = 'none' | 'admin' | 'api-key';

/**
 * What a route's function may touch; CDK turns each into the narrowest IAM grant (explicit actions,
 * and for the table a `dynamodb:LeadingKeys` condition on the partitions of
 * `shared/adapters/dynamodb/key-prefixes.ts`).
 */
export type Access =
  /** Gateways and identity stores: read. */
  | 'config:read'
  /** Gateways and identity stores: create, update, delete (admin routes only). */
  | 'config:write'
  /** Read one API key by id and refresh its `lastUsedAt`: the authorizer. */
  | 'api-keys:authenticate'
  /** List a store's API keys (the `gsi1` index). */
  | 'api-keys:read'
  /** Create and delete API keys, also every key of a deleted store. */
  | 'api-keys:write'
  /** Factors (and the other challenge partitions): read. */
  | 'challenges:read'
  /** Challenges, factors, pointers, send counters, idempotency records: read and write. */
  | 'challenges:write'
  /** Find a deleted store's items through the `byStore` index and delete them. */
  | 'store-items:sweep'
  | 'gateway-secrets:read'
  | 'gateway-secrets:write'
  /** The code pepper secret only. */
  | 'pepper:read'
  /** The pepper's rotation steps (Secrets Manager's rotation protocol) on that one secret. */
  | 'pepper:rotate'
  /** Asynchronous invoke of the number-replacement notifier. */
  | 'notifier:invoke'
  | 'sms:send';

export interface Route {
  /** Stable, unique; names the function and its log group. */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `{param}`. */
  path: string;
  /** Handler module relative to the project root; it exports `handler`. */
  handler: string;
  auth: RouteAuth;
  access: readonly Access[];
  summary: string;
}

export const routes: readonly Route[] = [
  {
    id: 'health',
    method: 'GET',
    path: '/health',
    handler: 'functions/health/get.ts',
    auth: 'none',
    access: [],
    summary: 'Liveness check',
  },
  {
    id: 'gateway-types-list',
    method: 'GET',
    path: '/admin/gateway-types',
    handler: 'functions/gateway-types/list.ts',
    auth: 'admin',
    access: [],
    summary: 'List the supported SMS gateway types',
  },
  {
    id: 'gateways-create',
    method: 'POST',
    path: '/admin/gateways',
    handler: 'functions/gateways/create.ts',
    auth: 'admin',
    access: ['config:write', 'gateway-secrets:write'],
    summary: 'Create an SMS gateway account',
  },
  {
    id: 'gateways-list',
    method: 'GET',
    path: '/admin/gateways',
    handler: 'functions/gateways/list.ts',
    auth: 'admin',
    access: ['config:read'],
    summary: 'List SMS gateway accounts',
  },
  {
    id: 'gateways-get',
    method: 'GET',
    path: '/admin/gateways/{gatewayId}',
    handler: 'functions/gateways/get.ts',
    auth: 'admin',
    access: ['config:read'],
    summary: 'Get an SMS gateway account',
  },
  {
    id: 'gateways-update',
    method: 'PATCH',
    path: '/admin/gateways/{gatewayId}',
    handler: 'functions/gateways/update.ts',
    auth: 'admin',
    access: ['config:write', 'gateway-secrets:read', 'gateway-secrets:write'],
    summary: 'Update an SMS gateway account (JSON Merge Patch)',
  },
  {
    id: 'gateways-delete',
    method: 'DELETE',
    path: '/admin/gateways/{gatewayId}',
    handler: 'functions/gateways/delete.ts',
    auth: 'admin',
    access: ['config:write', 'gateway-secrets:write'],
    summary: 'Delete an SMS gateway account that no identity store links',
  },
  {
    id: 'gateways-test',
    method: 'POST',
    path: '/admin/gateways/{gatewayId}/test',
    handler: 'functions/gateways/test.ts',
    auth: 'admin',
    access: ['config:read', 'gateway-secrets:read', 'sms:send'],
    summary: 'Send a test message through an SMS gateway account',
  },
  {
    id: 'identity-stores-create',
    method: 'POST',
    path: '/admin/identity-stores',
    handler: 'functions/identity-stores/create.ts',
    auth: 'admin',
    access: ['config:write'],
    summary: 'Create an identity store; links the default gateway when none is named',
  },
  {
    id: 'identity-stores-list',
    method: 'GET',
    path: '/admin/identity-stores',
    handler: 'functions/identity-stores/list.ts',
    auth: 'admin',
    access: ['config:read'],
    summary: 'List identity stores',
  },
  {
    id: 'identity-stores-get',
    method: 'GET',
    path: '/admin/identity-stores/{storeId}',
    handler: 'functions/identity-stores/get.ts',
    auth: 'admin',
    access: ['config:read'],
    summary: 'Get an identity store',
  },
  {
    id: 'identity-stores-update',
    method: 'PATCH',
    path: '/admin/identity-stores/{storeId}',
    handler: 'functions/identity-stores/update.ts',
    auth: 'admin',
    access: ['config:write'],
    summary: 'Update an identity store (JSON Merge Patch); relinks gateways atomically',
  },
  {
    id: 'identity-stores-delete',
    method: 'DELETE',
    path: '/admin/identity-stores/{storeId}',
    handler: 'functions/identity-stores/delete.ts',
    auth: 'admin',
    access: ['config:write', 'api-keys:write'],
    summary: 'Delete an identity store, unlinking its gateways and revoking its API keys',
  },
  {
    id: 'api-keys-create',
    method: 'POST',
    path: '/admin/identity-stores/{storeId}/api-keys',
    handler: 'functions/api-keys/create.ts',
    auth: 'admin',
    access: ['config:read', 'api-keys:write'],
    summary: 'Create an API key for a client application (the key is shown once)',
  },
  {
    id: 'api-keys-list',
    method: 'GET',
    path: '/admin/identity-stores/{storeId}/api-keys',
    handler: 'functions/api-keys/list.ts',
    auth: 'admin',
    access: ['config:read', 'api-keys:read'],
    summary: 'List the API keys of an identity store',
  },
  {
    id: 'api-keys-delete',
    method: 'DELETE',
    path: '/admin/identity-stores/{storeId}/api-keys/{keyId}',
    handler: 'functions/api-keys/delete.ts',
    auth: 'admin',
    access: ['config:read', 'api-keys:write'],
    summary: 'Revoke an API key',
  },
  {
    id: 'users-mfa',
    method: 'GET',
    path: '/v1/users/{userId}/mfa',
    handler: 'functions/users/mfa-status.ts',
    auth: 'api-key',
    access: ['config:read', 'challenges:read'],
    summary: 'What the user must do after the first factor: the SMS policy decision',
  },
  {
    id: 'sms-factor-enroll',
    method: 'PUT',
    path: '/v1/users/{userId}/sms-factor',
    handler: 'functions/sms-factor/enroll.ts',
    auth: 'api-key',
    access: ['config:read', 'challenges:write', 'gateway-secrets:read', 'pepper:read', 'sms:send'],
    summary: 'Start enrollment of a phone number and send a code',
  },
  {
    id: 'sms-factor-get',
    method: 'GET',
    path: '/v1/users/{userId}/sms-factor',
    handler: 'functions/sms-factor/get.ts',
    auth: 'api-key',
    access: ['challenges:read'],
    summary: "The user's SMS factor",
  },
  {
    id: 'sms-factor-delete',
    method: 'DELETE',
    path: '/v1/users/{userId}/sms-factor',
    handler: 'functions/sms-factor/delete.ts',
    auth: 'api-key',
    access: ['challenges:write'],
    summary: "Remove the user's SMS factor (the number is remembered for re-enrollment)",
  },
  {
    id: 'challenges-authenticate',
    method: 'POST',
    path: '/v1/users/{userId}/sms-factor/challenges',
    handler: 'functions/challenges/authenticate.ts',
    auth: 'api-key',
    access: ['config:read', 'challenges:write', 'gateway-secrets:read', 'pepper:read', 'sms:send'],
    summary: "Send a code to the active factor's phone",
  },
  {
    id: 'verifications-create',
    method: 'POST',
    path: '/v1/verifications',
    handler: 'functions/verifications/create.ts',
    auth: 'api-key',
    access: ['config:read', 'challenges:write', 'gateway-secrets:read', 'pepper:read', 'sms:send'],
    summary: 'Verify a phone number without a user (sign-up)',
  },
  {
    id: 'challenges-verify',
    method: 'POST',
    path: '/v1/challenges/{challengeId}/verify',
    handler: 'functions/challenges/verify.ts',
    auth: 'api-key',
    access: ['config:read', 'challenges:write', 'pepper:read', 'notifier:invoke'],
    summary: 'Verify a code',
  },
  {
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'functions/openapi/get.ts',
    auth: 'none',
    access: [],
    summary: 'The OpenAPI 3.1 document of this API',
  },
];

/**
 * The Lambda REQUEST authorizer in front of every `api-key` route. It reads the key and refreshes
 * the key's `lastUsedAt` at most every few minutes: its API key item and nothing else.
 */
export const apiKeyAuthorizer = {
  id: 'api-key-authorizer',
  handler: 'functions/authorizer/api-key.ts',
  access: ['api-keys:authenticate'] as readonly Access[],
} as const;

/**
 * Sends the notice to a number an enrollment replaced. Invoked asynchronously by the verify function,
 * which therefore needs neither gateway credentials nor SMS permissions itself.
 */
/** Invoked by Secrets Manager on the pepper's rotation schedule. */
export const pepperRotator = {
  id: 'pepper-rotation',
  handler: 'functions/pepper-rotation/rotate.ts',
  access: ['pepper:rotate'] as readonly Access[],
} as const;

export const replacementNotifier = {
  id: 'replaced-number-notifier',
  handler: 'functions/notifications/replaced-number.ts',
  access: ['config:read', 'gateway-secrets:read', 'sms:send'] as readonly Access[],
} as const;
