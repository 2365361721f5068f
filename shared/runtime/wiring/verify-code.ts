import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../../adapters/dynamodb/factor-table.ts';
import { SendCounterTable } from '../../adapters/dynamodb/send-counter-table.ts';
import { VerifyCode } from '../../domain/challenges/verify-code.ts';
import { feature } from '../context.ts';
import { pepper } from './config-reads.ts';
import { events } from './events.ts';
import { replacementNotifier } from './replacement-notifier.ts';

/**
 * `POST /v1/challenges/{id}/verify`: the verify use case and its ports only, none of the issue path (the
 * send plan, the fraud guard, delivery) nor a phone parser: what it reports of the number was stored
 * when the code was sent.
 */
export const codeVerification = /* @__PURE__ */ feature('code verification', (ctx) => {
  const { config } = ctx;
  return new VerifyCode({
    challenges: new ChallengeStoreTable(ctx.documents(), config.tableName),
    factors: new FactorTable(ctx.documents(), config.tableName),
    counters: new SendCounterTable(ctx.documents(), config.tableName),
    notifier: replacementNotifier(ctx),
    pepper: pepper(ctx),
    clock: ctx.clock,
    telemetry: ctx.telemetry,
    events: events(ctx).log,
    approvalUncount: ctx.strategies.approvalUncount,
  });
});
