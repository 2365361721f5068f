import type { DefineAuthChallengeEvent } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { cognitoDefine } from '../../shared/runtime/wiring/cognito-define.ts';
import { cognitoAuthTrigger } from './auth-trigger.ts';

/** Define Auth Challenge (deployed by `SmsMfaCognitoCustomAuth`). */
export const handler = cognitoAuthTrigger(cognitoDefine, (define, event: DefineAuthChallengeEvent) =>
  define.run(event),
);
