import { codeHash } from '../codes/code.ts';
import { newId } from '../ids.ts';
import { maskPhone } from '../phone.ts';
import { Deadline } from '../sending/deadline.ts';
import {
  attemptCounts,
  callOf,
  messageBody,
  planSend,
  SHARD_SEED_RANGE,
  type SendFacts,
  type SendPlan,
} from '../sending/send-plan.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import type { AttemptReport } from '../sending/sms-delivery.ts';
import { attemptRoute } from '../sending/route-choice.ts';
import { noEvents } from '../../ports/events.ts';
import { ChallengeEvents, type ChallengeSubject } from './challenge-events.ts';
import type { ChallengeRecord, ChallengeView } from './challenge.ts';
import {
  countBeside,
  firstAttemptCounts,
  issuedCode,
  replacementRefused,
  settle,
  type BesideCounts,
  type IssueDeps,
  type IssueRequest,
  type PendingSend,
} from './pending-send.ts';
import { resendCode } from './resend-code.ts';
import { closeChallenges } from './challenge-endings.ts';
import { SendAttemptLedger } from './send-ledger.ts';

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
 * Issues a code for a target (a user's enrollment or sign-in, or a phone) by executing its send plan
 * (send-plan.ts decides; this writes, counts, delivers and settles): a resend of the live challenge
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

  async issue(request: IssueRequest): Promise<IssueOutcome> {
    const { clock, random } = this.deps;
    const now = clock.now().getTime();
    // The routing facts are a per-instance snapshot (no round trip of their own); the gateways' prices
    // and channels come from the cached directory: both at once.
    const [routing, gateways] = await Promise.all([
      this.deps.routing?.facts(request.facts.store, now),
      gatewayFacts(this.deps, request.facts),
    ]);
    const planned = planSend({
      ...request.facts,
      ...gateways,
      now,
      shardSeed: random.int(SHARD_SEED_RANGE),
      ...(routing ? { routing } : {}),
      // A reroute follows its own order (and is charged at its first gateway's price).
      ...(request.reroute ? { order: request.reroute.order } : {}),
    });
    // A reroute is no user's resend: the resend interval does not hold it back.
    const plan = request.reroute ? { ...planned, resendIntervalMs: 0 } : planned;
    const deadline = new Deadline(plan.deadlineMs);
    try {
      const pending = await this.write(request, plan);
      if (pending === 'stale') return { kind: 'stale' };
      if (pending.isNew) this.events.created(subjectOf(pending), pending.challenge.expiresAt);
      // An enrollment to another number ends the one it replaces, beside the delivery (not after it).
      const closing =
        pending.isNew && plan.supersedes
          ? closeChallenges(this.deps, [plan.supersedes], clock.now().getTime())
          : Promise.resolve();
      const [challenge] = await Promise.all([this.deliver(pending, deadline), closing]);
      return { kind: 'sent', challenge };
    } finally {
      deadline.end();
    }
  }

  private async write(request: IssueRequest, plan: SendPlan): Promise<PendingSend | 'stale'> {
    if (!plan.resendOf) {
      if (request.reroute) throw replacementRefused();
      return this.start(request, plan);
    }
    const resent = await resendCode(this.deps, request, plan, plan.resendOf);
    if (resent === 'stale' || !('closed' in resent)) return resent;
    if (!request.newChallengeAllowed) {
      const { storeWins, fraud } = resent.counted;
      const held = [...storeWins, ...fraud.taken];
      if (held.length > 0) await this.deps.counters.refund(plan.store.id, request.phoneKey, held);
      throw replacementRefused();
    }
    return this.start(request, plan, resent.counted, resent.carriedAttempts);
  }

  /**
   * `counted`: the counts a failed resend already took for this send (`fullDay`: it was refused).
   * `carriedAttempts`: the failed attempts of the canceled challenge this one follows.
   */
  private async start(
    request: IssueRequest,
    plan: SendPlan,
    counted?: BesideCounts,
    carriedAttempts = 0,
  ): Promise<PendingSend | 'stale'> {
    const { store, now } = plan;
    const { random, pepper, clock } = this.deps;
    const { factor } = request.facts;
    const code = issuedCode(random, plan);
    const id = newId('ch', clock, random);
    const { current } = await pepper.versions();
    const hash = codeHash(current.value, id, code);
    const challenge: ChallengeRecord = {
      id,
      storeId: store.id,
      userId: request.userId,
      purpose: request.facts.purpose,
      phone: plan.phone.e164,
      codes: { [hash]: plan.expiresAt },
      tried: {},
      triedAt: {},
      attempts: carriedAttempts,
      maxAttempts: store.codePolicy.maxAttempts,
      sends: 1,
      lastSentAt: now,
      expiresAt: plan.expiresAt,
      createdAt: new Date(now).toISOString(),
      factorFailuresAtIssue: factor?.failureCount ?? 0,
      factorLastUsedAt: factor?.lastUsedAt ?? null,
      pepperVersion: current.version,
    };
    const country = countryOf(plan);
    if (country) challenge.country = country;
    if (plan.numberClass === 'test') challenge.test = true;
    if (request.facts.origin.applicationId) challenge.applicationId = request.facts.origin.applicationId;
    if (plan.fraud.unverified.length > 0) challenge.unverified = plan.fraud.unverified;
    const [refusal, beside] = await Promise.all([
      this.deps.ledger.start({
        challenge,
        phoneKey: request.phoneKey,
        windows: plan.windows,
        pointer: request.target,
        expectedPointer: request.facts.pointer?.challengeId ?? null,
        resendIntervalMs: plan.resendIntervalMs,
        factor: request.expectation,
        pendingEnrollment: request.facts.purpose === 'enroll',
        ...(request.approval ? { approval: request.approval } : {}),
        now,
      }),
      counted ?? countBeside(this.deps, plan, request.phoneKey),
    ]);
    const pending: PendingSend = {
      request,
      plan,
      challenge,
      hash,
      code,
      counted: firstAttemptCounts(plan, beside),
      isNew: true,
      fraud: beside.fraud,
    };
    return settle(this.deps, pending, refusal, beside, now);
  }

  private async deliver(pending: PendingSend, deadline: Deadline): Promise<ChallengeView> {
    const { plan, challenge, hash, code } = pending;
    const { store, purpose } = plan;
    const { clock, telemetry } = this.deps;
    const body = messageBody(plan, code);
    const subject = subjectOf(pending);
    const currency = store.spendLimits.currency;
    const extra = {
      ...(plan.numberClass === 'test' ? { test: true } : {}),
      ...(plan.source ? { source: plan.source } : {}),
      channel: plan.channel,
    };
    if (!plan.treatment.delivers) {
      // No provider and no outbox line: the challenge and its events are all there is of it.
      this.events.codeSent(subject, body, TEST_NUMBER_REPORT, {
        ...extra,
        cost: 0,
        currency,
        route: plan.route,
      });
      telemetry.count('CodeSent', { purpose, test: 'true' });
      return challengeView(store, { ...challenge, purpose: pending.request.facts.purpose });
    }
    const country = plan.phone.country ?? 'unknown';
    // The spend metrics follow the budgets: every attempt the provider did not refuse, at its price.
    const spent = (report: AttemptReport) => {
      if (report.outcome === 'refused') return;
      const amount = plan.costThrough(report.prices) / 1_000_000;
      telemetry.count('EstimatedSpend', { country }, amount);
      // The voice-spend alarm's metric (calls are the costliest toll-fraud target).
      if (plan.channel === 'voice') telemetry.count('VoiceSpend', { country }, amount);
    };
    const ledger = new SendAttemptLedger(
      this.deps,
      {
        store,
        phone: plan.phone,
        storeId: store.id,
        phoneKey: pending.request.phoneKey,
        counts: (prices) => attemptCounts(plan, clock.now().getTime(), prices),
        now: () => clock.now().getTime(),
      },
      pending.counted,
      plan.gateways[0],
    );
    try {
      await this.deps.delivery.send(
        store,
        { to: challenge.phone, body, ...callOf(plan) },
        {
          order: plan.gateways,
          ledger,
          firstCounted: true,
          deadline,
          onAttempt: (report) => {
            this.events.codeSent(subject, body, report, {
              ...extra,
              cost: plan.costThrough(report.prices),
              currency,
              route: attemptRoute(plan, report.gatewayId),
              codeExpiresAt: plan.expiresAt,
            });
            spent(report);
            if (report.outcome === 'accepted') pending.request.reroute?.accepted(report);
          },
        },
      );
    } catch (error) {
      // A new challenge dies with its only code: its one failure. A resend's challenge lives on.
      if (pending.isNew) this.events.failed(subject, 'gateway-error');
      // No gateway took it (or the number was refused): no code of this send may verify.
      const now = clock.now().getTime();
      await Promise.all([
        this.deps.challenges.withdrawCode(challenge.id, hash, { kill: true, now }),
        this.deps.factors.releasePointer(pending.request.target, challenge.id),
      ]);
      throw error;
    }
    telemetry.count('CodeSent', { purpose, country });
    return challengeView(store, { ...challenge, purpose: pending.request.facts.purpose });
  }
}

/**
 * What a send is planned on beyond the request: the linked gateways' prices (each attempt is charged at
 * its own gateway's) and, for a call, the deployment's switch and the gateways' channels.
 */
export async function gatewayFacts(
  deps: Pick<IssueDeps, 'delivery' | 'voiceAllowed'>,
  facts: Pick<SendPlan, 'store'> & { origin: { channel?: string } },
): Promise<Pick<SendFacts, 'voiceAllowed' | 'gatewayChannels' | 'gatewayPrices'>> {
  const linked = await deps.delivery.linkedGateways?.(linkedGatewayIds(facts.store));
  const prices = linked ? { gatewayPrices: linked.prices } : {};
  if (facts.origin.channel !== 'voice') return prices;
  return { ...prices, voiceAllowed: deps.voiceAllowed ?? false, gatewayChannels: linked?.channels ?? {} };
}

function subjectOf({ request, challenge, plan }: PendingSend): ChallengeSubject {
  return {
    storeId: request.target.storeId,
    challengeId: challenge.id,
    userId: request.userId,
    purpose: request.facts.purpose,
    phone: challenge.phone,
    ...(countryOf(plan) ? { country: countryOf(plan) } : {}),
  };
}

/**
 * The country a challenge's events name, stored with it so that its readers parse nothing: the parsed
 * number's. A test number's fictional range is no number the parser knows, so its events name none.
 */
const countryOf = (plan: SendPlan): string | undefined =>
  plan.numberClass === 'test' ? undefined : plan.phone.country;

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
