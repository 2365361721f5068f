import { storeParams } from '../api/common.ts';
import { routingSnapshotSchema } from '../api/routing-schemas.ts';
import { defineOperation } from './operation.ts';

/** The rates and health the store's sends are routed on (api.md "Routing"). */
export const getRoutingSnapshot = defineOperation({
  id: 'routing-get',
  method: 'GET',
  path: '/admin/identity-stores/{storeId}/routing',
  auth: 'admin',
  access: ['config:read', 'routing:read', 'gateway-health:read'],
  summary: "An identity store's routing snapshot: per country and linked gateway, conversion and health",
  params: storeParams,
  status: 200,
  response: routingSnapshotSchema,
  problems: ['not-found'],
});
