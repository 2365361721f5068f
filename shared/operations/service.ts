import { healthSchema } from '../api/response-schemas.ts';
import { defineOperation } from './operation.ts';

export const health = defineOperation({
  id: 'health',
  method: 'GET',
  path: '/health',
  auth: 'none',
  access: [],
  summary: 'Liveness check',
  status: 200,
  response: healthSchema,
  problems: [],
});

export const openapi = defineOperation({
  id: 'openapi',
  method: 'GET',
  path: '/openapi.json',
  auth: 'none',
  access: [],
  summary: 'The OpenAPI 3.1 document of this API',
  status: 200,
  problems: [],
});
