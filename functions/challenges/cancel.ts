import { httpHandler } from '../../shared/http/http-handler.ts';
import { cancelChallenge } from '../../shared/operations/client.ts';
import { challenges } from '../../shared/runtime/wiring/challenges.ts';

export const handler = httpHandler(cancelChallenge, async ({ params }, client) => {
  await challenges().cancel(
    { storeId: client.storeId, applicationId: client.application?.id ?? null },
    params.challengeId,
  );
});
