/**
 * The one route table: the CDK stack builds API Gateway routes, authorizers, functions and their
 * grants from it, and the local server serves the same handlers from it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `admin`: IAM (SigV4) when deployed, the admin bearer token locally. `api-key`: the Lambda authorizer. */
export type RouteAuth = 'none' | 'admin' | 'api-key';

/** What a route's function may touch; CDK turns each into the narrowest IAM grant. */
export type Access =
  'table:read' | 'table:write' | 'gateway-secrets:read' | 'gateway-secrets:write' | 'sms:send';

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
    access: ['table:write', 'gateway-secrets:write'],
    summary: 'Create an SMS gateway account',
  },
  {
    id: 'gateways-list',
    method: 'GET',
    path: '/admin/gateways',
    handler: 'functions/gateways/list.ts',
    auth: 'admin',
    access: ['table:read'],
    summary: 'List SMS gateway accounts',
  },
  {
    id: 'gateways-get',
    method: 'GET',
    path: '/admin/gateways/{gatewayId}',
    handler: 'functions/gateways/get.ts',
    auth: 'admin',
    access: ['table:read'],
    summary: 'Get an SMS gateway account',
  },
  {
    id: 'gateways-update',
    method: 'PATCH',
    path: '/admin/gateways/{gatewayId}',
    handler: 'functions/gateways/update.ts',
    auth: 'admin',
    access: ['table:write', 'gateway-secrets:read', 'gateway-secrets:write'],
    summary: 'Update an SMS gateway account (JSON Merge Patch)',
  },
  {
    id: 'gateways-delete',
    method: 'DELETE',
    path: '/admin/gateways/{gatewayId}',
    handler: 'functions/gateways/delete.ts',
    auth: 'admin',
    access: ['table:write', 'gateway-secrets:write'],
    summary: 'Delete an SMS gateway account that no identity store links',
  },
  {
    id: 'gateways-test',
    method: 'POST',
    path: '/admin/gateways/{gatewayId}/test',
    handler: 'functions/gateways/test.ts',
    auth: 'admin',
    access: ['table:read', 'gateway-secrets:read', 'sms:send'],
    summary: 'Send a test message through an SMS gateway account',
  },
];
