import type { VerifyAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { cognitoVerify } from '../../shared/runtime/wiring/cognito-verify.ts';
import { cognitoAuthSettings, cognitoAuthTrigger } from './auth-trigger.ts';

/** Verify Auth Challenge Response (deployed by `SmsMfaCognitoCustomAuth`). */
const { storeId } = cognitoAuthSettings();

export const handler = cognitoAuthTrigger(cognitoVerify, (verify, event: VerifyAuthChallengeEvent) =>
  verify.run(storeId, event),
);
