import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../../adapters/dynamodb/factor-table.ts';
import { GetFactor } from '../../domain/challenges/get-factor.ts';
import { RemoveFactor } from '../../domain/challenges/remove-factor.ts';
import { feature } from '../context.ts';
import { events } from './events.ts';
import { namingUsers } from './user-refs.ts';

/** `GET /v1/users/{userId}/sms-factor`: the factor's read only. */
export const factorView = /* @__PURE__ */ feature('factor view', (ctx) =>
  namingUsers(ctx, new GetFactor({ factors: new FactorTable(ctx.documents(), ctx.config.tableName) })),
);

/** `DELETE /v1/users/{userId}/sms-factor`: the removal, and the end of the factor's challenges. */
export const factorRemoval = /* @__PURE__ */ feature('factor removal', (ctx) =>
  namingUsers(
    ctx,
    new RemoveFactor({
      factors: new FactorTable(ctx.documents(), ctx.config.tableName),
      challenges: new ChallengeStoreTable(ctx.documents(), ctx.config.tableName),
      clock: ctx.clock,
      events: events(ctx).log,
    }),
  ),
);
