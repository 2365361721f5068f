import { feature } from '../context.ts';
import { challengeService } from './challenges.ts';
import { sendingDelivery } from './sending.ts';
import { namingUsers } from './user-refs.ts';

/** The challenge routes that send: verifications, enrollments, sign-in challenges. */
export const challengeSends = /* @__PURE__ */ feature('challenge sends', (ctx) =>
  namingUsers(ctx, challengeService(ctx, sendingDelivery(ctx))),
);
