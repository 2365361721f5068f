import { ChallengeStoreTable } from '../../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../../adapters/dynamodb/factor-table.ts';
import { SendCounterTable } from '../../adapters/dynamodb/send-counter-table.ts';
import { SendHistoryTable } from '../../adapters/dynamodb/send-history-table.ts';
import { ChallengeHistory } from '../../domain/challenges/challenge-history.ts';
import { DeferredUncount } from '../../domain/fraud/deferred-uncount.ts';
import { MfaService, type FactorLookup } from '../../domain/mfa/mfa-service.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import { feature, type Context } from '../context.ts';
import { cachedStores } from './config-reads.ts';
import { namingUsers } from './user-refs.ts';

const sendHistory = (ctx: Context) =>
  new SendHistoryTable(ctx.documents(), ctx.config.tableName, () => ctx.clock.now().getTime());

/** `GET .../challenges/{id}`: a challenge and its sends, from the send history. */
export const challengeHistory = /* @__PURE__ */ feature(
  'challenge history',
  (ctx) => new ChallengeHistory({ history: sendHistory(ctx), clock: ctx.clock }),
);

/** Deployed: takes an approved challenge's sends off the unverified counts (the `challenge.approved` rule). */
export const deferredUncount = /* @__PURE__ */ feature(
  'deferred uncount',
  (ctx) =>
    new DeferredUncount({
      challenges: new ChallengeStoreTable(ctx.documents(), ctx.config.tableName),
      counters: new SendCounterTable(ctx.documents(), ctx.config.tableName),
      history: sendHistory(ctx),
      clock: ctx.clock,
    }),
);

/** `GET /v1/users/{id}/mfa-status`. */
export const mfa = /* @__PURE__ */ feature('mfa status', (ctx) =>
  namingUsers(
    ctx,
    new MfaService({
      stores: cachedStores(ctx),
      factors: factorLookup(new FactorTable(ctx.documents(), ctx.config.tableName)),
      clock: ctx.clock,
    }),
  ),
);

function factorLookup(factors: Pick<FactorStore, 'get'>): FactorLookup {
  return {
    summary: async (storeId, userId) => {
      const factor = await factors.get(storeId, userId);
      // A reset shows for 7 days (MfaService decides), whatever the factor is now.
      const reset = factor?.resetAt ? { resetAt: factor.resetAt } : {};
      if (!factor || factor.status === 'none') return { status: 'none', ...reset };
      const phone = factor.status === 'active' ? factor.phone : factor.pendingPhone;
      return { status: factor.status, ...(phone ? { maskedPhone: maskPhone(phone) } : {}), ...reset };
    },
  };
}
