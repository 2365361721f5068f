import type { CreateAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { challengeSends } from '../../shared/runtime/wiring/challenge-sends.ts';
import { cognitoAuthSettings, cognitoAuthTrigger } from './auth-trigger.ts';

/** Create Auth Challenge (deployed by `SmsMfaCognitoCustomAuth`): sends the code through sms-mfa. */
const settings = cognitoAuthSettings();

export const handler = cognitoAuthTrigger<CreateAuthChallengeEvent>(
  (cognito, event) => cognito.create.run(settings, event),
  challengeSends,
);
