import type { VerifyAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { cognitoAuthSettings, cognitoAuthTrigger } from './auth-trigger.ts';

/** Verify Auth Challenge Response (deployed by `SmsMfaCognitoCustomAuth`). */
const { storeId } = cognitoAuthSettings();

export const handler = cognitoAuthTrigger<VerifyAuthChallengeEvent>((cognito, event) =>
  cognito.verify.run(storeId, event),
);
