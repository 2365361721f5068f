import { VerifyAuthChallenge } from '../../domain/cognito-auth/verify-auth-challenge.ts';
import { feature } from '../context.ts';
import { codeVerification } from './verify-code.ts';

/** Cognito's Verify Auth Challenge Response trigger: the `/v1` verify's use case alone (verify-code.ts). */
export const cognitoVerify = /* @__PURE__ */ feature(
  'cognito verify',
  (ctx) => new VerifyAuthChallenge({ verification: codeVerification(ctx) }),
);
