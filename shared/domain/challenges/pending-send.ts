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
import type { FactorRecord, PointerTarget, SendPointer } from '../factors/factor.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import type { PhoneNumber } from '../phone.ts';
import { DAY_MS, limitMessage, type CounterWindow, type LimitName } from '../sending/send-windows.ts';
import type { SmsDelivery } from '../sending/sms-delivery.ts';
import type { ChallengePurpose, ChallengeRecord } from './challenge.ts';
import { blockedError, type FraudVerdict } from '../fraud/fraud-guard.ts';
import type { SendOrigin } from '../fraud/fraud-windows.ts';
import type { NumberClass } from '../sending/number-class.ts';
import { treatmentOf } from './classified-send.ts';

export interface IssueDeps {
  ledger: IssueLedger;
  counters: SendCounters;
  challenges: ChallengeStore;
  factors: FactorStore;
  delivery: Pick<SmsDelivery, 'send'>;
  pepper: Pepper;
  clock: Clock;
  random: Random;
  telemetry: Telemetry;
  /** Optional so that fakes and other callers need not wire it; absent: nothing is emitted. */
  events?: EventPort;
}

/** Everything a send was decided on, read just before it. */
export interface IssueRequest {
  store: IdentityStore;
  phone: PhoneNumber;
  /** The number as table keys hold it (counters, pointers). */
  phoneKey: string;
  purpose: ChallengePurpose;
  userId: string | null;
  target: PointerTarget;
  pointer: SendPointer | undefined;
  factor: FactorRecord | undefined;
  expectation: FactorExpectation;
  approval?: ApprovalUse;
  /**
   * False for a resend to an active factor's new number that was authorised earlier: if that enrollment is
   * no longer live, a new one needs a new approval.
   */
  newChallengeAllowed: boolean;
  /** What kind of number it is (number-class.ts); the issuer classifies it, callers leave it out. */
  numberClass?: NumberClass;
  /** Who asked for the send, when not a `/v1` route (`code.sent` carries it). */
  source?: string;
  /** Where the send comes from, for the fraud guard. */
  origin?: SendOrigin;
  /** Provider attempts must end within this budget (default: the send deadline's; Cognito's is shorter). */
  budgetMs?: number;
}

/** A code on its way: the first attempt was counted by the write that stored it. */
export interface PendingSend {
  request: IssueRequest;
  challenge: Pick<ChallengeRecord, 'id' | 'phone' | 'attempts' | 'maxAttempts' | 'expiresAt' | 'lastSentAt'>;
  hash: string;
  code: string;
  counted: CounterWindow[];
  /** A new challenge dies with its only code; a resend only loses the code it added. */
  isNew: boolean;
  /** The fraud guard's verdict on this send (its counts are in `fraud.taken`). */
  fraud: FraudVerdict;
}

/** Joins the transaction's verdict with the store-wide count that ran beside it. */
export async function settle(
  deps: Pick<IssueDeps, 'counters' | 'challenges' | 'factors' | 'telemetry'>,
  pending: PendingSend,
  refusal: IssueRefusal | null,
  storeWin: CounterWindow | null,
  now: number,
): Promise<PendingSend | 'stale'> {
  const { counters, challenges } = deps;
  const { storeId } = pending.request.target;
  const { taken, blocked } = pending.fraud;
  if (refusal) {
    const held = [...(storeWin ? [storeWin] : []), ...taken];
    if (held.length > 0) await counters.refund(storeId, pending.request.phoneKey, held);
    return refusalOutcome(refusal, pending.request, now, deps.telemetry);
  }
  const storeFull = !storeWin && treatmentOf(pending.request).storeWide;
  if (storeFull || blocked) {
    // Nothing of a refused send may count against the user later: codes, counts and the pointer go.
    await Promise.all([
      challenges.withdrawCode(pending.challenge.id, pending.hash, { kill: pending.isNew, now }),
      counters.refund(storeId, pending.request.phoneKey, [...pending.counted, ...taken]),
      pending.isNew
        ? deps.factors.releasePointer(pending.request.target, pending.challenge.id)
        : Promise.resolve(),
    ]);
    if (blocked) throw blockedError(blocked, now);
    deps.telemetry.count('SendRefused', { reason: 'perStorePerDay' });
    throw new RateLimited(limitMessage('perStorePerDay'), (storeDayEnd(now) - now) / 1000);
  }
  return pending;
}

function storeDayEnd(now: number): number {
  return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
}

/** What a refused write means for the caller: a limit, a lock, a refused approval, or "read again". */
function refusalOutcome(
  refusal: IssueRefusal,
  request: IssueRequest,
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
    const intervalMs = request.store.codePolicy.resendIntervalSeconds * 1000;
    const samePointer = (current?.challengeId ?? null) === (request.pointer?.challengeId ?? null);
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
