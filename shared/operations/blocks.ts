import { blockParams, blocksSchema } from '../api/block-schemas.ts';
import { storeParams } from '../api/common.ts';
import { defineOperation } from './operation.ts';

/** An identity store's active fraud-guard blocks (api.md "Fraud guard and spend limits"). */
const BLOCKS = '/admin/identity-stores/{storeId}/blocks';

export const listBlocks = defineOperation({
  id: 'blocks-list',
  method: 'GET',
  path: BLOCKS,
  auth: 'admin',
  access: ['config:read', 'blocks:read'],
  summary: "List an identity store's active fraud-guard blocks with their counts and end times",
  params: storeParams,
  status: 200,
  response: blocksSchema,
  problems: ['not-found'],
});

export const deleteBlock = defineOperation({
  id: 'blocks-delete',
  method: 'DELETE',
  path: `${BLOCKS}/{kind}/{value}`,
  auth: 'admin',
  access: ['config:read', 'blocks:write'],
  summary: 'Lift a fraud-guard block for the rest of its window',
  params: blockParams,
  status: 204,
  problems: ['not-found'],
  audit: { type: 'admin.block.deleted', subject: 'value', rangeParam: 'value' },
});
