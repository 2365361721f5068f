import { feature } from '../context.ts';
import { challengeSends } from './challenge-sends.ts';

/** Cognito's Create Auth Challenge trigger: it issues and sends, on the sending routes' challenge core. */
export const cognitoCreate = /* @__PURE__ */ feature(
  'cognito create',
  (ctx) => challengeSends(ctx).cognito.create,
);
