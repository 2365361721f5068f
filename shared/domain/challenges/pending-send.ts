import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPort } from '../../ports/events.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { ApprovalUse, FactorExpectation, IssueLedger, IssueRefusal } from '../../ports/issue-ledger.ts';
import type { Random } from '../../ports/random.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { Pepper } from '../codes/pepper.ts';
import { Forbidden, RateLimited, TooManyAttempts } from '../errors.ts';
import type { PointerTarget } from '../factors/factor.ts';
import { limitMessage, type CounterWindow, type LimitName } from '../sending/send-windows.ts';
import type { AttemptReport, SmsDelivery } from '../sending/sms-delivery.ts';
import type { ChallengePurpose, ChallengeRecord } from './challenge.ts';
import { blockedError, evaluateFraudGuard, type FraudVerdict } from '../fraud/fraud-guard.ts';
import { isBudgetWindow, withBudgetCharges } from '../fraud/fraud-windows.ts';
import type { SendFacts, SendPlan } from '../sending/send-plan.ts';
import { generateCode } from '../codes/code.ts';
import { countStoreDays } from './send-ledger.ts';
import type { ShardedWindow } from '../sending/send-plan.ts';
import type { RoutingFactsSource } from '../sending/routing-facts.ts';

export interface IssueDeps {
  ledger: IssueLedger;
  counters: SendCounters;
  challenges: ChallengeStore;
  factors: FactorStore;
  delivery: Pick<SmsDelivery, 'send'> & Partial<Pick<SmsDelivery, 'linkedGateways'>>;
  pepper: Pepper;
  /** The deployment's voice switch (CDK context `voiceAllowed`); absent: no calls. */
  voiceAllowed?: boolean;
  clock: Clock;
  random: Random;
  telemetry: Telemetry;
  /** Optional so that fakes and other callers need not wire it; absent: nothing is emitted. */
  events?: EventPort;
  /** Rates, health and draws the plan routes on (a per-instance snapshot); absent: ordered, all closed. */
  routing?: RoutingFactsSource;
}

/** What the issuer needs beside the facts of the send: where its pointer lives and what the write requires. */
export interface IssueRequest {
  /** What the send is decided on (send-plan.ts); the issuer adds the moment and the shard draw. */
  facts: Omit<SendFacts, 'now' | 'shardSeed' | 'purpose'> & { purpose: ChallengePurpose };
  /** The number as table keys hold it (counters, pointers). */
  phoneKey: string;
  userId: string | null;
  target: PointerTarget;
  expectation: FactorExpectation;
  /** The approval a replacement of an active factor's number consumes; null for every other send. */
  approval: ApprovalUse | null;
  /**
   * False for a resend to an active factor's new number that was authorised earlier: if that enrollment is
   * no longer live, a new one needs a new approval.
   */
  newChallengeAllowed: boolean;
  /**
   * A delivery reroute (issue 26): a new code of this live challenge only (never a new challenge),
   * through `order`, with no resend interval; `accepted` is told which gateway took it.
   */
  reroute?: { order: readonly string[]; accepted: (report: AttemptReport) => void };
}

/** A code on its way: the first attempt was counted by the write that stored it (and beside it). */
export interface PendingSend {
  request: IssueRequest;
  plan: SendPlan;
  challenge: Pick<ChallengeRecord, 'id' | 'phone' | 'attempts' | 'maxAttempts' | 'expiresAt' | 'lastSentAt'>;
  hash: string;
  code: string;
  /** What the first provider attempt holds: its send limits and its budget charges (refunded if refused). */
  counted: CounterWindow[];
  /** A new challenge dies with its only code; a resend only loses the code it added. */
  isNew: boolean;
  /** The fraud guard's verdict on this send (its counts are in `fraud.taken`). */
  fraud: FraudVerdict;
}

/** The counts beside the transaction: the store's day on a shard and the fraud guard's windows. */
export interface BesideCounts {
  /** The store-wide days taken (none for a test number, or when one was full). */
  storeWins: CounterWindow[];
  /** The store-wide day (SMS or calls) that refused the send; null when none did. */
  fullDay: ShardedWindow | null;
  fraud: FraudVerdict;
}

export async function countBeside(
  deps: Pick<IssueDeps, 'counters' | 'telemetry' | 'events'>,
  plan: SendPlan,
  phoneKey: string,
): Promise<BesideCounts> {
  const scope = { storeId: plan.store.id, phoneKey };
  const [days, fraud] = await Promise.all([
    countStoreDays(deps.counters, scope, plan),
    evaluateFraudGuard(deps, plan.store, plan.phone, phoneKey, plan.fraud),
  ]);
  return { storeWins: days.taken, fullDay: days.full, fraud };
}

/** What the first provider attempt holds: the number's windows, the store's day and its budget charges. */
export function firstAttemptCounts(
  plan: Pick<SendPlan, 'windows'>,
  { storeWins, fraud }: Pick<BesideCounts, 'storeWins' | 'fraud'>,
): CounterWindow[] {
  return withBudgetCharges([...plan.windows, ...storeWins], fraud);
}

/** What the challenge's hash is taken over: a random code, or a test number's keyed digest of its fixed code. */
export function issuedCode(random: IssueDeps['random'], plan: SendPlan): string {
  return plan.code.kind === 'fixed' ? plan.code.digest : generateCode(random, plan.store.codePolicy.length);
}

/** Joins the transaction's verdict with the store-wide count that ran beside it. */
export async function settle(
  deps: Pick<IssueDeps, 'counters' | 'challenges' | 'factors' | 'telemetry'>,
  pending: PendingSend,
  refusal: IssueRefusal | null,
  { storeWins, fullDay }: Pick<BesideCounts, 'storeWins' | 'fullDay'>,
  now: number,
): Promise<PendingSend | 'stale'> {
  const { counters, challenges } = deps;
  const { storeId } = pending.request.target;
  const { plan } = pending;
  const { taken, blocked } = pending.fraud;
  if (refusal) {
    const held = [...storeWins, ...taken];
    if (held.length > 0) await counters.refund(storeId, pending.request.phoneKey, held);
    return refusalOutcome(refusal, pending.request, plan, now, deps.telemetry);
  }
  if (fullDay || blocked) {
    // Nothing of a refused send may count against the user later: codes, counts and the pointer go.
    await Promise.all([
      challenges.withdrawCode(pending.challenge.id, pending.hash, { kill: pending.isNew, now }),
      // `counted` holds the budget charges already: the rest of the verdict's counts beside them.
      counters.refund(storeId, pending.request.phoneKey, [
        ...pending.counted,
        ...taken.filter((w) => !isBudgetWindow(w)),
      ]),
      pending.isNew
        ? deps.factors.releasePointer(pending.request.target, pending.challenge.id)
        : Promise.resolve(),
    ]);
    if (blocked) throw blockedError(blocked, now);
    const limit = fullDay?.window.limit ?? 'perStorePerDay';
    deps.telemetry.count('SendRefused', { reason: limit });
    throw new RateLimited(limitMessage(limit as LimitName), ((fullDay?.window.endsAt ?? now) - now) / 1000);
  }
  return pending;
}

/** What a refused write means for the caller: a limit, a lock, a refused approval, or "read again". */
function refusalOutcome(
  refusal: IssueRefusal,
  request: IssueRequest,
  plan: SendPlan,
  now: number,
  telemetry: Telemetry,
): 'stale' {
  if (refusal.part === 'approval') throw replacementRefused();
  if (refusal.part === 'window') {
    telemetry.count('SendRefused', { reason: refusal.window.limit });
    throw new RateLimited(
      limitMessage(refusal.window.limit as LimitName),
      (refusal.window.endsAt - now) / 1000,
    );
  }
  if (refusal.part === 'pointer') {
    const lockedUntil = refusal.factor?.lockedUntil;
    if (lockedUntil && lockedUntil > now) {
      telemetry.count('SendRefused', { reason: 'factorLocked' });
      throw new TooManyAttempts(
        'The SMS factor is locked after repeated failures.',
        (lockedUntil - now) / 1000,
      );
    }
    const current =
      request.target.kind === 'user' ? refusal.factor?.pointers[request.target.purpose] : refusal.pointer;
    const intervalMs = plan.resendIntervalMs;
    const samePointer = (current?.challengeId ?? null) === (request.facts.pointer?.challengeId ?? null);
    if (samePointer && current && current.lastSentAt > now - intervalMs) {
      telemetry.count('SendRefused', { reason: 'resendInterval' });
      throw new RateLimited(limitMessage('resendInterval'), (current.lastSentAt + intervalMs - now) / 1000);
    }
  }
  return 'stale';
}

export function replacementRefused(): Forbidden {
  return new Forbidden(
    'Replacing the number of an active factor needs approvedChallengeId: an unused authenticate challenge of this user, approved within the last 10 minutes with a code sent to the current number.',
  );
}
