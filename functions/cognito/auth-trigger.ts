import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { CognitoAuthSettings } from '../../shared/domain/cognito-auth/create-auth-challenge.ts';
import { logger } from '../../shared/observability/powertools.ts';
import type { Feature } from '../../shared/runtime/context.ts';
import { withEventsSettled } from '../../shared/runtime/event-hooks.ts';

/** SmsMfaCognitoCustomAuth's environment: the identity store the pool's codes belong to. */
export const cognitoAuthSettings = (env: NodeJS.ProcessEnv = process.env): CognitoAuthSettings => ({
  storeId: env.SMS_MFA_IDENTITY_STORE_ID ?? '',
  requireVerifiedPhone: env.SMS_MFA_REQUIRE_VERIFIED_PHONE !== 'false',
});

/**
 * One of Cognito's custom-auth triggers: Cognito invokes it synchronously and reads `response` from the
 * event it gets back. The event is never logged (Verify's holds the user's answer). Each trigger passes
 * its own wiring (wiring/cognito-*.ts), so that its bundle holds only its use case.
 */
export function cognitoAuthTrigger<E extends { response: unknown }, UseCase>(
  useCase: Feature<UseCase>,
  answer: (useCase: UseCase, event: E) => Promise<E['response']>,
) {
  return (
    middy<E, E>()
      .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
      // Create's code.sent (with its send record and deadline job) and Verify's challenge.approved are
      // published before the answer, as the HTTP routes do.
      .handler(async (event) =>
        withEventsSettled(async () => ({ ...event, response: await answer(useCase(), event) })),
      )
  );
}
