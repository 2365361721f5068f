import {
  createGatewayBody,
  gatewayParams,
  testGatewayBody,
  updateGatewayBody,
} from '../api/gateway-schemas.ts';
import { gatewaySchema, gatewayTypesSchema, testResultSchema } from '../api/gateway-responses.ts';
import { adminResource } from './admin-resource.ts';
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

export const {
  create: createGateway,
  list: listGateways,
  get: getGateway,
  update: updateGateway,
  delete: deleteGateway,
} = adminResource({
  name: 'gateways',
  path: '/admin/gateways',
  idParam: 'gatewayId',
  auditName: 'gateway',
  params: gatewayParams,
  createBody: createGatewayBody,
  updateBody: updateGatewayBody,
  response: gatewaySchema,
  create: {
    summary: 'Create an SMS gateway account',
    access: ['config:write', 'gateway-secrets:write'],
    // A name in use (names are unique, case-insensitive).
    problems: ['conflict'],
  },
  // The representation shows each gateway's shared health.
  list: { summary: 'List SMS gateway accounts', access: ['config:read', 'gateway-health:read'] },
  get: { summary: 'Get an SMS gateway account', access: ['config:read', 'gateway-health:read'] },
  update: {
    summary: 'Update an SMS gateway account (JSON Merge Patch)',
    access: ['config:write', 'gateway-secrets:read', 'gateway-secrets:write'],
  },
  delete: {
    summary: 'Delete an SMS gateway account that no identity store links',
    access: ['config:write', 'gateway-secrets:write'],
    problems: ['gateway-in-use'],
  },
});

export const testGateway = defineOperation({
  id: 'gateways-test',
  method: 'POST',
  path: '/admin/gateways/{gatewayId}/test',
  auth: 'admin',
  access: ['config:read', 'gateway-secrets:read'],
  summary: 'Send a test message through an SMS gateway account',
  params: gatewayParams,
  body: testGatewayBody,
  status: 200,
  response: testResultSchema,
  problems: ['not-found', 'phone-not-allowed', 'gateway-error'],
  sends: true,
});
