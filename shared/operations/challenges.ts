import { challengeHistoryParams, challengeHistorySchema } from '../api/challenge-history-schemas.ts';
import { defineOperation } from './operation.ts';

/** One challenge of a store with every provider attempt of its codes (api.md "Events and webhooks"). */
export const getChallengeHistory = defineOperation({
  id: 'challenges-get',
  method: 'GET',
  path: '/admin/identity-stores/{storeId}/challenges/{challengeId}',
  auth: 'admin',
  access: ['challenges:history'],
  summary: 'A challenge of an identity store, with its sends and their delivery status',
  params: challengeHistoryParams,
  status: 200,
  response: challengeHistorySchema,
  problems: ['not-found'],
});
