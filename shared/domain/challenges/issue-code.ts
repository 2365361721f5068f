import { codeHash } from '../codes/code.ts';
import { newId } from '../ids.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone } from '../phone.ts';
import { Deadline } from '../sending/deadline.ts';
import type { CounterWindow } from '../sending/send-windows.ts';
import { renderTemplate } from '../sms-encoding.ts';
import type { AttemptReport } from '../sending/sms-delivery.ts';
import { noEvents } from '../../ports/events.ts';
import { ChallengeEvents, type ChallengeSubject } from './challenge-events.ts';
import type { ChallengeRecord, ChallengeView } from './challenge.ts';
import {
  replacementRefused,
  settle,
  type IssueDeps,
  type IssueRequest,
  type PendingSend,
} from './pending-send.ts';
import { resendCode } from './resend-code.ts';
import { closeChallenges } from './challenge-endings.ts';
import { SendAttemptLedger } from './send-ledger.ts';
import {
  classified,
  countIssuedStoreSend,
  issuedCode,
  issueWindows,
  treatmentOf,
} from './classified-send.ts';
import { evaluateFraudGuard, type FraudVerdict } from '../fraud/fraud-guard.ts';
import { fraudPlanOf } from './guarded-send.ts';

/** What `code.sent` reports of a send to a test number, which no gateway sees. */
const TEST_NUMBER_REPORT: AttemptReport = {
  gatewayId: 'test-number',
  gatewayType: 'test',
  attempt: 1,
  outcome: 'accepted',
};

/** `stale`: the state the send was decided on changed meanwhile; read it again and decide again. */
export type IssueOutcome = { kind: 'sent'; challenge: ChallengeView } | { kind: 'stale' };

/**
 * Issues a code for a target (a user's enrollment or sign-in, or a phone): a resend of the live challenge
 * when there is one for the same number, else a new challenge. One transaction counts the per-phone
 * windows and writes the challenge and the pointer (and the factor's conditions); the store-wide count
 * runs beside it on a shard. Then delivery within the deadline; if no gateway takes the message, the code
 * is withdrawn so that nothing of it can verify.
 */
export class CodeIssuer {
  private readonly events: ChallengeEvents;

  constructor(private readonly deps: IssueDeps) {
    this.events = new ChallengeEvents(deps.events ?? noEvents);
  }

  async issue(unclassified: IssueRequest): Promise<IssueOutcome> {
    const request = classified(unclassified);
    const deadline = new Deadline(request.budgetMs);
    try {
      const pending = await this.write(request);
      if (pending === 'stale') return { kind: 'stale' };
      if (pending.isNew) this.events.created(subjectOf(pending), pending.challenge.expiresAt);
      const superseded = request.pointer?.challengeId;
      const now = this.deps.clock.now().getTime();
      // An enrollment to another number ends the one it replaces, beside the delivery (not after it).
      const closing =
        pending.isNew && request.purpose === 'enroll' && superseded
          ? closeChallenges(this.deps, [superseded], now)
          : Promise.resolve();
      const [challenge] = await Promise.all([this.deliver(pending, deadline), closing]);
      return { kind: 'sent', challenge };
    } finally {
      deadline.end();
    }
  }

  private async write(request: IssueRequest): Promise<PendingSend | 'stale'> {
    const { pointer, phone } = request;
    const now = this.deps.clock.now().getTime();
    if (pointer && pointer.expiresAt > now && pointer.phone === phone.e164) {
      const resent = await resendCode(this.deps, request, pointer, now);
      if (resent === 'stale' || !('closed' in resent)) return resent;
      if (!request.newChallengeAllowed) {
        const held = [...(resent.storeWin ? [resent.storeWin] : []), ...resent.fraud.taken];
        if (held.length > 0) await this.deps.counters.refund(request.store.id, request.phoneKey, held);
        throw replacementRefused();
      }
      return this.start(request, now, { storeWin: resent.storeWin, fraud: resent.fraud });
    }
    return this.start(request, now);
  }

  /** `counted`: the counts a failed resend already took for this send (storeWin null: it was refused). */
  private async start(
    request: IssueRequest,
    now: number,
    counted?: { storeWin: CounterWindow | null; fraud: FraudVerdict },
  ): Promise<PendingSend | 'stale'> {
    const { store, phone, target } = request;
    const { random, pepper, clock } = this.deps;
    const policy = store.codePolicy;
    const code = issuedCode(this.deps, request);
    const id = newId('ch', clock, random);
    const { current } = await pepper.versions();
    const hash = codeHash(current.value, id, code);
    const expiry = now + policy.ttlSeconds * 1000;
    const challenge: ChallengeRecord = {
      id,
      storeId: store.id,
      userId: request.userId,
      purpose: request.purpose,
      phone: phone.e164,
      codes: { [hash]: expiry },
      tried: {},
      triedAt: {},
      attempts: 0,
      maxAttempts: policy.maxAttempts,
      sends: 1,
      lastSentAt: now,
      expiresAt: expiry,
      createdAt: new Date(now).toISOString(),
      factorFailuresAtIssue: request.factor?.failureCount ?? 0,
      factorLastUsedAt: request.factor?.lastUsedAt ?? null,
      pepperVersion: current.version,
    };
    if (request.numberClass === 'test') challenge.test = true;
    const plan = fraudPlanOf(this.deps, request, now);
    if (plan.unverified.length > 0) challenge.unverified = plan.unverified;
    const windows = issueWindows(request, now);
    const [refusal, storeWin, fraud] = await Promise.all([
      this.deps.ledger.start({
        challenge,
        phoneKey: request.phoneKey,
        windows,
        pointer: target,
        expectedPointer: request.pointer?.challengeId ?? null,
        resendIntervalMs: policy.resendIntervalSeconds * 1000,
        factor: request.expectation,
        pendingEnrollment: request.purpose === 'enroll',
        ...(request.approval ? { approval: request.approval } : {}),
        now,
      }),
      counted !== undefined ? counted.storeWin : countIssuedStoreSend(this.deps, request, now),
      counted !== undefined
        ? counted.fraud
        : evaluateFraudGuard(this.deps, store, phone, request.phoneKey, plan),
    ]);
    const pending: PendingSend = {
      request,
      challenge,
      hash,
      code,
      counted: [...windows, ...(storeWin ? [storeWin] : [])],
      isNew: true,
      fraud,
    };
    return settle(this.deps, pending, refusal, storeWin, now);
  }

  private async deliver(pending: PendingSend, deadline: Deadline): Promise<ChallengeView> {
    const { request, challenge, hash, code } = pending;
    const { store } = request;
    const ledger = new SendAttemptLedger(
      this.deps.counters,
      this.deps.random,
      {
        storeId: store.id,
        phoneKey: request.phoneKey,
        limits: store.sendLimits,
        numberClass: request.numberClass ?? 'ordinary',
        now: () => this.deps.clock.now().getTime(),
      },
      pending.counted,
    );
    const test = request.numberClass === 'test';
    // A test number's "code" here is the digest of its fixed code: never rendered, only its length counts.
    const body = renderTemplate(
      store.smsAuth.messageTemplate,
      test ? '0'.repeat(store.codePolicy.length) : code,
    );
    const subject = subjectOf(pending);
    const extra = {
      ...(test ? { test: true } : {}),
      ...(request.source ? { source: request.source } : {}),
    };
    if (!treatmentOf(request).delivers) {
      // No provider and no outbox line: the challenge and its events are all there is of it.
      this.events.codeSent(subject, body, TEST_NUMBER_REPORT, extra);
      this.deps.telemetry.count('CodeSent', { purpose: request.purpose, test: 'true' });
      return challengeView(store, { ...challenge, purpose: request.purpose });
    }
    try {
      await this.deps.delivery.send(
        store,
        { to: challenge.phone, body },
        {
          ledger,
          firstCounted: true,
          deadline,
          onAttempt: (report) => this.events.codeSent(subject, body, report, extra),
        },
      );
    } catch (error) {
      // A new challenge dies with its only code: its one failure. A resend's challenge lives on.
      if (pending.isNew) this.events.failed(subject, 'gateway-error');
      // No gateway took it (or the number was refused): no code of this send may verify.
      const now = this.deps.clock.now().getTime();
      await Promise.all([
        this.deps.challenges.withdrawCode(challenge.id, hash, { kill: true, now }),
        this.deps.factors.releasePointer(request.target, challenge.id),
      ]);
      throw error;
    }
    this.deps.telemetry.count('CodeSent', {
      purpose: request.purpose,
      country: request.phone.country ?? 'unknown',
    });
    this.deps.telemetry.count(
      'EstimatedSpend',
      { country: request.phone.country ?? 'unknown' },
      pending.fraud.cost / 1_000_000,
    );
    return challengeView(store, { ...challenge, purpose: request.purpose });
  }
}

function subjectOf({ request, challenge }: PendingSend): ChallengeSubject {
  return {
    storeId: request.store.id,
    challengeId: challenge.id,
    userId: request.userId,
    purpose: request.purpose,
    phone: challenge.phone,
  };
}

export function challengeView(
  store: IdentityStore,
  challenge: Pick<
    ChallengeRecord,
    'id' | 'purpose' | 'phone' | 'attempts' | 'maxAttempts' | 'expiresAt' | 'lastSentAt'
  >,
): ChallengeView {
  return {
    id: challenge.id,
    purpose: challenge.purpose,
    maskedPhone: maskPhone(challenge.phone),
    expiresAt: new Date(challenge.expiresAt).toISOString(),
    resendAvailableAt: new Date(
      challenge.lastSentAt + store.codePolicy.resendIntervalSeconds * 1000,
    ).toISOString(),
    attemptsRemaining: Math.max(challenge.maxAttempts - challenge.attempts, 0),
  };
}
