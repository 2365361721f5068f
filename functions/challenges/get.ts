import { httpHandler } from '../../shared/http/http-handler.ts';
import { getChallengeHistory } from '../../shared/operations/challenges.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(getChallengeHistory, async ({ params }) => {
  const { challengeHistory } = await services();
  return { body: await challengeHistory.get(params.storeId, params.challengeId) };
});
