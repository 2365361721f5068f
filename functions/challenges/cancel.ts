import { httpHandler } from '../../shared/http/http-handler.ts';
import { cancelChallenge } from '../../shared/operations/client.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(cancelChallenge, async ({ params }, client) => {
  const { challenges } = await services();
  await challenges.cancel(
    { storeId: client.storeId, applicationId: client.application?.id ?? null },
    params.challengeId,
  );
});
