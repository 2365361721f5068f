import { storeParams } from '../api/common.ts';
import { usageQuery, usageSchema } from '../api/usage-schemas.ts';
import { defineOperation } from './operation.ts';

/** api.md "Prices, receipts from every provider, usage": the usage ledger of one identity store. */
export const getUsage = defineOperation({
  id: 'usage-get',
  method: 'GET',
  path: '/admin/identity-stores/{storeId}/usage',
  auth: 'admin',
  access: ['config:read', 'usage:read'],
  summary: "An identity store's sends, conversion and cost per UTC day, country or gateway",
  params: storeParams,
  query: usageQuery,
  status: 200,
  response: usageSchema,
  problems: ['not-found'],
});
