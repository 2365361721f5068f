import type { CreateAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import '../../shared/runtime/providers.ts';
import { cognitoAuthSettings, cognitoAuthTrigger } from './auth-trigger.ts';

/** Create Auth Challenge (deployed by `SmsMfaCognitoCustomAuth`): sends the code through sms-mfa. */
const settings = cognitoAuthSettings();

export const handler = cognitoAuthTrigger<CreateAuthChallengeEvent>((cognito, event) =>
  cognito.create.run(settings, event),
);
