import { CodeIssuer } from '../../domain/challenges/issue-code.ts';
import { CreateAuthChallenge } from '../../domain/cognito-auth/create-auth-challenge.ts';
import { feature } from '../context.ts';
import { challengeDeps } from './challenges.ts';
import { sendingDelivery } from './sending.ts';

/**
 * Cognito's Create Auth Challenge trigger: it issues and sends, so it has the sending routes' ports and
 * issuer, but none of the challenge core's other use cases (enrollment, sign-in, verify, cancel).
 */
export const cognitoCreate = /* @__PURE__ */ feature('cognito create', (ctx) => {
  const deps = challengeDeps(ctx, sendingDelivery(ctx));
  return new CreateAuthChallenge({ ...deps, issuer: new CodeIssuer(deps) });
});
