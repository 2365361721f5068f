import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { DefineAuthChallenge } from '../../domain/cognito-auth/define-auth-challenge.ts';
import { feature } from '../context.ts';

/**
 * Cognito's Define Auth Challenge trigger: it decides the next round from the session and, after a wrong
 * answer, one read of the challenge; none of the challenge core (no issue path, no phone parser).
 */
export const cognitoDefine = /* @__PURE__ */ feature(
  'cognito define',
  (ctx) =>
    new DefineAuthChallenge({
      challenges: new ChallengeStoreTable(ctx.documents(), ctx.config.tableName),
      clock: ctx.clock,
    }),
);
