import { httpHandler } from '../../shared/http/http-handler.ts';
import { cancelChallenge } from '../../shared/operations/client.ts';
import { challengeCancel } from '../../shared/runtime/wiring/cancel-challenge.ts';

export const handler = httpHandler(cancelChallenge, async ({ params }, client) => {
  await challengeCancel().run(
    { storeId: client.storeId, applicationId: client.application?.id ?? null },
    params.challengeId,
  );
});
