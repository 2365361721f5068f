import type { CreateAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { cognitoCreate } from '../../shared/runtime/wiring/cognito-create.ts';
import { cognitoAuthSettings, cognitoAuthTrigger } from './auth-trigger.ts';

/** Create Auth Challenge (deployed by `SmsMfaCognitoCustomAuth`): sends the code through sms-mfa. */
const settings = cognitoAuthSettings();

export const handler = cognitoAuthTrigger(cognitoCreate, (create, event: CreateAuthChallengeEvent) =>
  create.run(settings, event),
);
