import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { CancelChallenge } from '../../domain/challenges/cancel-challenge.ts';
import { feature } from '../context.ts';
import { events } from './events.ts';

/** `POST /v1/challenges/{id}/cancel`: the cancel use case and its ports only. */
export const challengeCancel = /* @__PURE__ */ feature(
  'challenge cancel',
  (ctx) =>
    new CancelChallenge({
      challenges: new ChallengeStoreTable(ctx.documents(), ctx.config.tableName),
      clock: ctx.clock,
      events: events(ctx).log,
    }),
);
