import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DeliveryStats } from '../../ports/delivery-stats.ts';
import type { EventPort } from '../../ports/events.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { RerouteClaims } from '../../ports/reroute-claims.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { isLive, type ChallengeRecord } from '../challenges/challenge.ts';
import type { CodeIssuer } from '../challenges/issue-code.ts';
import type { IssueRequest } from '../challenges/pending-send.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import type { SendPointer } from '../factors/factor.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import { routingOf } from '../identity-stores/routing-settings.ts';
import { maskPhone } from '../phone.ts';
import { usuallyDelivers } from '../routing/delivery-counts.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import type { AttemptReport } from '../sending/sms-delivery.ts';

/** Why a message is sent again through the next gateway (api.md "Delivery failover"). */
export type RerouteReason = 'deadline' | 'failed-receipt';

/** One original message to judge: the gateway that accepted it and the provider's id of it. */
export interface RerouteJob {
  storeId: string;
  challengeId: string;
  gatewayId: string;
  providerMessageId: string;
  reason: RerouteReason;
}

/** The deadline in seconds when delivery failover is on for the store (and allowed here), else null. */
export function deliveryDeadlineSeconds(store: IdentityStore, failoverAllowed: boolean): number | null {
  const seconds = routingOf(store).deliveryDeadlineSeconds;
  return failoverAllowed && typeof seconds === 'number' && seconds > 0 ? seconds : null;
}

/** The gateways after `gatewayId` in the store's order (`byCountry` first when it names the country). */
export function gatewaysAfter(
  store: IdentityStore,
  country: string | undefined,
  gatewayId: string,
): string[] {
  const linked = linkedGatewayIds(store);
  const head = (country && routingOf(store).byCountry[country]) || [];
  const order = [...head.filter((id) => linked.includes(id)), ...linked.filter((id) => !head.includes(id))];
  const at = order.indexOf(gatewayId);
  return at < 0 ? [] : order.slice(at + 1);
}

export interface RerouteDeps {
  /** Read fresh: a deleted store reroutes nothing. */
  stores: { get(id: string): Promise<IdentityStore | undefined> };
  history: Pick<SendHistory, 'history' | 'findMessage'>;
  claims: RerouteClaims;
  stats: DeliveryStats;
  factors: Pick<FactorStore, 'get' | 'phonePointer'>;
  challenges?: Pick<ChallengeStore, 'get'>;
  issuer: Pick<CodeIssuer, 'issue'>;
  pepper: Pepper;
  clock: Clock;
  events: EventPort;
  telemetry: Telemetry;
  failoverAllowed: boolean;
}

export type RerouteOutcome =
  | { kind: 'rerouted'; toGatewayId: string }
  | { kind: 'skipped'; why: string }
  | { kind: 'refused'; why: string };

/**
 * A new code of the same challenge through the next gateway of the order after the one that accepted
 * the original message (never a code kept in clear: a new one, as a resend). Counted like any send
 * (per-phone windows, the store's day, the fraud guard and budgets, the challenge's 5 sends); at most
 * once per original message, never for a rerouted message, never after the challenge ended or for a
 * deleted store; a deadline reroute needs the message's receipt pointer and a (store, country, gateway)
 * that usually reports `delivered`.
 */
export class RerouteCode {
  constructor(private readonly deps: RerouteDeps) {}

  async run(job: RerouteJob): Promise<RerouteOutcome> {
    const skip = (why: string): RerouteOutcome => ({ kind: 'skipped', why });
    const store = await this.deps.stores.get(job.storeId);
    if (!store) return skip('store deleted');
    if (deliveryDeadlineSeconds(store, this.deps.failoverAllowed) === null) return skip('failover off');
    const ref = await this.deps.history.findMessage(job.gatewayId, job.providerMessageId);
    if (!ref || ref.storeId !== store.id || ref.challengeId !== job.challengeId)
      return skip('no receipt pointer');
    if (job.reason === 'deadline' && ref.purpose === 'verify-phone')
      return skip('verify-phone waits for receipts');
    const stored = await this.deps.history.history(job.challengeId);
    const now = this.deps.clock.now().getTime();
    const challenge = stored?.challenge ?? (await this.deps.challenges?.get(job.challengeId));
    if (!challenge || challenge.storeId !== store.id || !isLive(challenge, now))
      return skip('challenge ended');
    const send = stored?.sends.find(
      (s) => s.gatewayId === job.gatewayId && s.providerMessageId === job.providerMessageId,
    );
    // A call is never rerouted (deadline or failed receipt): the reroute would send a text, or call again.
    if (send?.channel === 'voice') return skip('calls are not rerouted');
    if (job.reason === 'deadline') {
      if (send?.deliveryStatus) return skip('receipt came in time');
      if (!(await this.usuallyDelivered(store, ref.country, job.gatewayId, now))) {
        return skip('gateway does not usually report delivered');
      }
    }
    const order = gatewaysAfter(store, ref.country, job.gatewayId);
    if (order.length === 0) return skip('no next gateway');
    const pointer = await this.pointerOf(store, challenge);
    if (pointer?.challengeId !== challenge.id) return skip('challenge no longer live');
    if (!(await this.deps.claims.claim(store.id, challenge.id, job.gatewayId, job.providerMessageId))) {
      return skip('already rerouted');
    }
    return this.resend(store, challenge, pointer, order, job);
  }

  /** Delivered at least half the time over at least `minSamples` messages in the window (every purpose). */
  private async usuallyDelivered(
    store: IdentityStore,
    country: string | undefined,
    gatewayId: string,
    now: number,
  ): Promise<boolean> {
    const { minSamples, windowHours } = routingOf(store);
    const snapshot = await this.deps.stats.snapshot(store.id, {
      windowHours,
      learnFrom: [],
      now,
    });
    const item = snapshot.items.find((i) => i.gatewayId === gatewayId && i.country === country);
    return usuallyDelivers(item, minSamples);
  }

  private async pointerOf(
    store: IdentityStore,
    challenge: ChallengeRecord,
  ): Promise<SendPointer | undefined> {
    if (challenge.purpose === 'verify-phone') {
      return this.deps.factors.phonePointer(store.id, await keyedPhone(this.deps.pepper, challenge.phone));
    }
    if (!challenge.userId) return undefined;
    const factor = await this.deps.factors.get(store.id, challenge.userId);
    return factor?.pointers[challenge.purpose];
  }

  private async resend(
    store: IdentityStore,
    challenge: ChallengeRecord,
    pointer: SendPointer,
    order: string[],
    job: RerouteJob,
  ): Promise<RerouteOutcome> {
    const phone = sendablePhone(store, challenge.phone);
    const phoneKey = await keyedPhone(this.deps.pepper, phone.e164);
    const userId = challenge.userId ?? null;
    const factor =
      challenge.purpose === 'verify-phone' || !userId
        ? undefined
        : await this.deps.factors.get(store.id, userId);
    let accepted: AttemptReport | undefined;
    const request: IssueRequest = {
      facts: {
        store,
        phone,
        purpose: challenge.purpose,
        origin: { clientIp: null, applicationId: null, source: null },
        pointer,
        factor,
      },
      phoneKey,
      userId,
      target:
        challenge.purpose === 'verify-phone' || !userId
          ? { kind: 'phone', storeId: store.id, phoneKey }
          : { kind: 'user', storeId: store.id, userId, purpose: challenge.purpose },
      // A resend writes no factor condition; the pointer's challenge id is its condition.
      expectation: { kind: 'none' },
      approval: null,
      newChallengeAllowed: false,
      reroute: { order, accepted: (report) => (accepted = report) },
    };
    try {
      const outcome = await this.deps.issuer.issue(request);
      if (outcome.kind !== 'sent' || !accepted)
        return { kind: 'skipped', why: 'challenge changed meanwhile' };
    } catch (error) {
      // Refused by a limit, a budget or the fraud guard (or no gateway took it): nothing was sent.
      const why = error instanceof Error ? error.name : 'refused';
      this.deps.events.emit('send.blocked', {
        storeId: store.id,
        reason: `reroute-refused:${why}`,
        ...(phone.country ? { country: phone.country } : {}),
        maskedPhone: maskPhone(phone.e164),
      });
      this.deps.telemetry.count('RerouteRefused', { reason: job.reason });
      return { kind: 'refused', why };
    }
    // The rerouted message is never rerouted again.
    if (accepted.providerMessageId) {
      await this.deps.claims
        .claim(store.id, challenge.id, accepted.gatewayId, accepted.providerMessageId)
        .catch(() => false);
    }
    this.deps.events.emit('code.rerouted', {
      storeId: store.id,
      challengeId: challenge.id,
      ...(userId ? { userId } : {}),
      fromGatewayId: job.gatewayId,
      toGatewayId: accepted.gatewayId,
      reason: job.reason,
    });
    this.deps.telemetry.count('Rerouted', { reason: job.reason });
    return { kind: 'rerouted', toGatewayId: accepted.gatewayId };
  }
}
