import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../../adapters/dynamodb/factor-table.ts';
import { IssueLedgerTable } from '../../adapters/dynamodb/issue-ledger-table.ts';
import { SendCounterTable } from '../../adapters/dynamodb/send-counter-table.ts';
import { ChallengeService, type ChallengeServiceDeps } from '../../domain/challenges/challenge-service.ts';
import { ReplacementNotice } from '../../domain/sending/replacement-notice.ts';
import type { SmsDelivery } from '../../domain/sending/sms-delivery.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { Context } from '../context.ts';
import { cachedStores, pepper } from './config-reads.ts';
import { events } from './events.ts';
import { replacementNotifier } from './replacement-notifier.ts';
import { routing } from './routing.ts';

/** The challenge core with the delivery given: the sending routes pass the provider adapters' (challenge-sends.ts). */
export function challengeService(ctx: Context, delivery: SmsDelivery): ChallengeService {
  return new ChallengeService(challengeDeps(ctx, delivery));
}

/** The challenge core's ports, for a function that builds one of its use cases alone (cognito-create.ts). */
export function challengeDeps(ctx: Context, delivery: SmsDelivery): ChallengeServiceDeps {
  const { config } = ctx;
  return {
    challenges: new ChallengeStoreTable(ctx.documents(), config.tableName),
    factors: new FactorTable(ctx.documents(), config.tableName),
    ledger: new IssueLedgerTable(ctx.documents(), config.tableName),
    counters: new SendCounterTable(ctx.documents(), config.tableName),
    stores: cachedStores(ctx),
    delivery,
    notifier: notifier(ctx, delivery),
    pepper: pepper(ctx),
    clock: ctx.clock,
    random: ctx.random,
    telemetry: ctx.telemetry,
    events: events(ctx).log,
    approvalUncount: ctx.strategies.approvalUncount,
    routing: routing(ctx).facts,
    voiceAllowed: config.voiceAllowed,
  };
}

/** A replaced number's notice: the notifier function deployed (verify sends nothing itself), in-process locally. */
export function notifier(ctx: Context, delivery: SmsDelivery): ReplacementNotifier {
  switch (ctx.strategies.replacementNotice) {
    case 'lambda':
      return replacementNotifier(ctx);
    case 'in-process': {
      const notice = new ReplacementNotice(cachedStores(ctx), delivery, ctx.telemetry);
      return { notify: async (storeId, phone) => void (await notice.send(storeId, phone)) };
    }
  }
}
