import { pageQuery } from '../api/common.ts';
import {
  createGatewayBody,
  gatewayParams,
  testGatewayBody,
  updateGatewayBody,
} from '../api/gateway-schemas.ts';
import { gatewaySchema, gatewayTypesSchema, page, testResultSchema } from '../api/response-schemas.ts';
import { defineOperation } from './operation.ts';

export const listGatewayTypes = defineOperation({
  id: 'gateway-types-list',
  method: 'GET',
  path: '/admin/gateway-types',
  auth: 'admin',
  access: [],
  summary: 'List the supported SMS gateway types',
  status: 200,
  response: gatewayTypesSchema,
  problems: [],
});

export const createGateway = defineOperation({
  id: 'gateways-create',
  method: 'POST',
  path: '/admin/gateways',
  auth: 'admin',
  access: ['table:write', 'gateway-secrets:write'],
  summary: 'Create an SMS gateway account',
  body: createGatewayBody,
  status: 201,
  response: gatewaySchema,
  problems: ['conflict'],
});

export const listGateways = defineOperation({
  id: 'gateways-list',
  method: 'GET',
  path: '/admin/gateways',
  auth: 'admin',
  access: ['table:read'],
  summary: 'List SMS gateway accounts',
  query: pageQuery,
  status: 200,
  response: page(gatewaySchema),
  problems: [],
});

export const getGateway = defineOperation({
  id: 'gateways-get',
  method: 'GET',
  path: '/admin/gateways/{gatewayId}',
  auth: 'admin',
  access: ['table:read'],
  summary: 'Get an SMS gateway account',
  params: gatewayParams,
  status: 200,
  response: gatewaySchema,
  problems: ['not-found'],
});

export const updateGateway = defineOperation({
  id: 'gateways-update',
  method: 'PATCH',
  path: '/admin/gateways/{gatewayId}',
  auth: 'admin',
  access: ['table:write', 'gateway-secrets:read', 'gateway-secrets:write'],
  summary: 'Update an SMS gateway account (JSON Merge Patch)',
  params: gatewayParams,
  body: updateGatewayBody,
  status: 200,
  response: gatewaySchema,
  problems: ['not-found', 'conflict'],
  ifMatch: true,
});

export const deleteGateway = defineOperation({
  id: 'gateways-delete',
  method: 'DELETE',
  path: '/admin/gateways/{gatewayId}',
  auth: 'admin',
  access: ['table:write', 'gateway-secrets:write'],
  summary: 'Delete an SMS gateway account that no identity store links',
  params: gatewayParams,
  status: 204,
  problems: ['not-found', 'gateway-in-use'],
  ifMatch: true,
});

export const testGateway = defineOperation({
  id: 'gateways-test',
  method: 'POST',
  path: '/admin/gateways/{gatewayId}/test',
  auth: 'admin',
  access: ['table:read', 'gateway-secrets:read'],
  summary: 'Send a test message through an SMS gateway account',
  params: gatewayParams,
  body: testGatewayBody,
  status: 200,
  response: testResultSchema,
  problems: ['not-found', 'phone-not-allowed', 'gateway-error'],
  sends: true,
});
