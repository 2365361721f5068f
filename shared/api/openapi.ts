import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { routes, type Route } from '../routes.ts';
import { createApiKeyBody, apiKeyParams } from './api-key-schemas.ts';
import { challengeParams, enrollBody, verifyBody, verifyPhoneBody } from './challenge-schemas.ts';
import { pageQuery } from './common.ts';
import { createGatewayBody, gatewayParams, testGatewayBody, updateGatewayBody } from './gateway-schemas.ts';
import { createIdentityStoreBody, storeParams, updateIdentityStoreBody } from './identity-store-schemas.ts';
import {
  apiKeySchema,
  approvalSchema,
  challengeSchema,
  createdApiKeySchema,
  enrollmentSchema,
  factorSchema,
  gatewaySchema,
  gatewayTypeSchema,
  healthSchema,
  identityStoreSchema,
  mfaDecisionSchema,
  page,
  problemSchema,
  testResultSchema,
} from './response-schemas.ts';
import { mfaQuery, userParams } from './user-schemas.ts';

interface Operation {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  status: number;
  response?: z.ZodType;
  ifMatch?: boolean;
  idempotent?: boolean;
}

/** Request and response schemas per route id: the same zod schemas the handlers validate with. */
const OPERATIONS: Record<string, Operation> = {
  health: { status: 200, response: healthSchema },
  openapi: { status: 200 },
  'gateway-types-list': { status: 200, response: z.object({ items: z.array(gatewayTypeSchema) }) },
  'gateways-create': { body: createGatewayBody, status: 201, response: gatewaySchema },
  'gateways-list': { query: pageQuery, status: 200, response: page(gatewaySchema) },
  'gateways-get': { params: gatewayParams, status: 200, response: gatewaySchema },
  'gateways-update': {
    params: gatewayParams,
    body: updateGatewayBody,
    status: 200,
    response: gatewaySchema,
    ifMatch: true,
  },
  'gateways-delete': { params: gatewayParams, status: 204, ifMatch: true },
  'gateways-test': { params: gatewayParams, body: testGatewayBody, status: 200, response: testResultSchema },
  'identity-stores-create': { body: createIdentityStoreBody, status: 201, response: identityStoreSchema },
  'identity-stores-list': { query: pageQuery, status: 200, response: page(identityStoreSchema) },
  'identity-stores-get': { params: storeParams, status: 200, response: identityStoreSchema },
  'identity-stores-update': {
    params: storeParams,
    body: updateIdentityStoreBody,
    status: 200,
    response: identityStoreSchema,
    ifMatch: true,
  },
  'identity-stores-delete': { params: storeParams, status: 204, ifMatch: true },
  'api-keys-create': {
    params: storeParams,
    body: createApiKeyBody,
    status: 201,
    response: createdApiKeySchema,
  },
  'api-keys-list': { params: storeParams, status: 200, response: z.object({ items: z.array(apiKeySchema) }) },
  'api-keys-delete': { params: apiKeyParams, status: 204 },
  'users-mfa': { params: userParams, query: mfaQuery, status: 200, response: mfaDecisionSchema },
  'sms-factor-enroll': {
    params: userParams,
    body: enrollBody,
    status: 202,
    response: enrollmentSchema,
    idempotent: true,
  },
  'sms-factor-get': { params: userParams, status: 200, response: factorSchema },
  'sms-factor-delete': { params: userParams, status: 204 },
  'challenges-authenticate': { params: userParams, status: 201, response: challengeSchema, idempotent: true },
  'verifications-create': { body: verifyPhoneBody, status: 201, response: challengeSchema, idempotent: true },
  'challenges-verify': { params: challengeParams, body: verifyBody, status: 200, response: approvalSchema },
};

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const problem = {
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: problemSchema } },
};

function operation(route: Route): ZodOpenApiOperationObject {
  const spec = OPERATIONS[route.id];
  if (!spec) throw new Error(`No OpenAPI operation for route ${route.id}`);
  const headers = z.object({
    ...(spec.ifMatch
      ? { 'if-match': z.string().optional().meta({ description: 'The version read; 409 on mismatch' }) }
      : {}),
    ...(spec.idempotent
      ? {
          'idempotency-key': z
            .string()
            .max(64)
            .optional()
            .meta({ description: 'Repeats within 10 minutes replay the first answer' }),
        }
      : {}),
  });
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [route.path.startsWith('/admin') ? 'admin' : route.path.startsWith('/v1') ? 'client' : 'service'],
    security:
      route.auth === 'admin'
        ? [{ adminIam: [] }, { adminToken: [] }]
        : route.auth === 'api-key'
          ? [{ apiKey: [] }]
          : [],
    requestParams: {
      ...(spec.params ? { path: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.ifMatch || spec.idempotent ? { header: headers } : {}),
    },
    ...(spec.body ? { requestBody: { required: true, ...json(spec.body) } } : {}),
    responses: {
      [String(spec.status)]: {
        description: 'Success',
        ...(spec.response
          ? json(spec.response)
          : spec.status === 200
            ? { content: { 'application/json': {} } }
            : {}),
      },
      '4XX': problem,
      '5XX': problem,
    },
  };
}

/** The OpenAPI 3.1 document of every route in the route table. */
export function openApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'sms-mfa',
      version: '1.0.0',
      description:
        'SMS multi-factor authentication: admin API for gateways, identity stores and API keys; client API for enrollment, challenges and verification.',
    },
    components: {
      securitySchemes: {
        adminIam: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'Deployed: AWS SigV4 (IAM) signature for execute-api',
        },
        adminToken: { type: 'http', scheme: 'bearer', description: 'Local mode: the admin token' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the identity store' },
      },
    },
    paths,
  });
}
