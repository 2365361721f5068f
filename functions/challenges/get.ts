import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { getChallengeHistory } from '../../shared/operations/challenges.ts';
import { challengeHistory } from '../../shared/runtime/wiring/challenge-records.ts';

export const handler = adminHttpHandler(getChallengeHistory, async ({ params }) => {
  return { body: await challengeHistory().get(params.storeId, params.challengeId) };
});
