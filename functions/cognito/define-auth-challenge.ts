import type { DefineAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { cognitoAuthTrigger } from './auth-trigger.ts';

/** Define Auth Challenge (deployed by `SmsMfaCognitoCustomAuth`). */
export const handler = cognitoAuthTrigger<DefineAuthChallengeEvent>((cognito, event) =>
  cognito.define.run(event),
);
