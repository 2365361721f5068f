import type { EventPort } from '../../ports/events.ts';
import type { GatewayHealth, GatewayHealthView } from '../../ports/gateway-health.ts';
import type { SendFailure } from '../../ports/sms-sender.ts';

/** api.md "Gateway health": the window failures are counted over, and how long an open gateway is skipped. */
export const HEALTH_WINDOW_MS = 60_000;
export const OPEN_FOR_MS = 60_000;
/** At least this many failures, and at least half of the attempts, within the window open a gateway. */
export const MIN_FAILURES_TO_OPEN = 5;
/** A trial claimed this long ago whose outcome never came (its process died) may be claimed again. */
export const TRIAL_CLAIM_MS = 30_000;

/** What one provider request says about its gateway's transport; undefined: nothing (it counts nowhere). */
export type TransportOutcome = 'success' | 'failure';

/**
 * Transport outcomes only: an accepted message is a success; a 5xx, a timeout, a connection error or an
 * authentication refusal is a failure. A refusal of one number (invalid, opted out), a throttle or any
 * other refusal of the message says nothing about the gateway: a tenant sending to dead numbers cannot
 * open a shared gateway.
 */
export function transportOutcome(failure: SendFailure | undefined): TransportOutcome | undefined {
  if (!failure) return 'success';
  if (failure.kind === 'unavailable' || failure.kind === 'unreachable' || failure.kind === 'auth') {
    return 'failure';
  }
  return undefined;
}

export function opens(failures: number, attempts: number): boolean {
  return failures >= MIN_FAILURES_TO_OPEN && failures * 2 >= attempts;
}

/** Where a send records its attempts' outcomes and claims a half-open gateway's one trial. */
export interface GatewayHealthRecorder {
  /** Beside the attempt: never awaited by an answer, never throws. */
  record(gatewayId: string, outcome: TransportOutcome, now: number): Promise<void>;
  /** True for exactly one caller while the gateway is half-open (a conditional write deployed). */
  claimTrial(gatewayId: string, now: number): Promise<boolean>;
}

export type GatewayHealthPort = GatewayHealthView & GatewayHealthRecorder;

export const CLOSED: GatewayHealth = { state: 'closed', failures: 0, attempts: 0 };

/** What the breaker knows of one gateway. */
export interface BreakerState {
  /** Outcomes within the window, oldest first. */
  outcomes: { at: number; failure: boolean }[];
  /** While open or half-open. */
  openedAt?: number;
  trialClaimedAt?: number;
}

export function healthOf(state: BreakerState | undefined, now: number): GatewayHealth {
  if (!state) return CLOSED;
  const recent = state.outcomes.filter((o) => o.at > now - HEALTH_WINDOW_MS);
  const failures = recent.filter((o) => o.failure).length;
  const counts = { failures, attempts: recent.length };
  if (state.openedAt === undefined) return { state: 'closed', ...counts };
  const openedAt = new Date(state.openedAt).toISOString();
  return { state: now < state.openedAt + OPEN_FOR_MS ? 'open' : 'half-open', ...counts, openedAt };
}

/**
 * The shared breaker (deployed: every function instance, one table). Outcomes are counted in buckets of
 * this many ms; the window's counts are the buckets that overlap the last 60 s (so at least the last
 * 60 s and at most 10 s more), after the bucket of the last close (the failures that opened it are
 * history, as in one process).
 */
export const HEALTH_BUCKET_MS = 10_000;
/** An instance's view of the shared state is read again once it is this old (api.md: within 5 s). */
export const HEALTH_SNAPSHOT_MAX_AGE_MS = 5_000;
/** An instance hands its successes to the shared counts at most this often; a failure goes at once. */
export const HEALTH_FLUSH_MS = 5_000;
/** Shared items outlive what they say: buckets the window, the state a day without any change. */
export const HEALTH_STATE_KEPT_MS = 24 * 60 * 60_000;

export const bucketOf = (at: number): number => Math.floor(at / HEALTH_BUCKET_MS);

/** The shared state of one gateway, as one item holds it (epoch ms). */
export interface SharedBreakerRecord {
  openedAt?: number;
  trialClaimedAt?: number;
  closedAt?: number;
}

/** One bucket's counts (attempts include failures). */
export interface BucketCount {
  bucket: number;
  attempts: number;
  failures: number;
}

/** The first bucket the window at `now` counts (none before the last close's bucket ends). */
export function firstCountedBucket(record: SharedBreakerRecord, now: number): number {
  const first = bucketOf(now - HEALTH_WINDOW_MS);
  return record.closedAt === undefined ? first : Math.max(first, bucketOf(record.closedAt) + 1);
}

/** The window's counts over shared buckets. */
export function windowCounts(
  record: SharedBreakerRecord,
  buckets: readonly BucketCount[],
  now: number,
): { failures: number; attempts: number } {
  const first = firstCountedBucket(record, now);
  const last = bucketOf(now);
  let failures = 0;
  let attempts = 0;
  for (const b of buckets) {
    if (b.bucket < first || b.bucket > last) continue;
    failures += b.failures;
    attempts += b.attempts;
  }
  return { failures, attempts };
}

/** A gateway's health from its shared record and buckets: the same states as in one process. */
export function sharedHealthOf(
  record: SharedBreakerRecord,
  buckets: readonly BucketCount[],
  now: number,
): GatewayHealth {
  const counts = windowCounts(record, buckets, now);
  if (record.openedAt === undefined) return { state: 'closed', ...counts };
  const openedAt = new Date(record.openedAt).toISOString();
  return { state: now < record.openedAt + OPEN_FOR_MS ? 'open' : 'half-open', ...counts, openedAt };
}

/** Whether a send may claim the half-open trial: nobody claimed it, or the claimer never reported. */
export function trialClaimable(record: SharedBreakerRecord, now: number): boolean {
  if (record.openedAt === undefined || now < record.openedAt + OPEN_FOR_MS) return false;
  return record.trialClaimedAt === undefined || record.trialClaimedAt <= now - TRIAL_CLAIM_MS;
}

/** What a recorded outcome does to the shared state (the adapter writes it conditionally). */
export type SharedTransition = 'open' | 'reopen' | 'close' | undefined;

/**
 * The decision after an outcome: a closed gateway whose window now opens it opens; the outcome of the
 * trial this instance claimed closes (success) or reopens (failure) it. Outcomes of other sends while
 * open or half-open (last-resort sends) only count.
 */
export function transitionAfter(input: {
  record: SharedBreakerRecord;
  counts: { failures: number; attempts: number };
  outcome: TransportOutcome;
  /** This outcome is the trial this instance claimed (at `record.trialClaimedAt`). */
  ownTrial: boolean;
}): SharedTransition {
  const { record, counts, outcome, ownTrial } = input;
  if (record.openedAt === undefined) {
    return outcome === 'failure' && opens(counts.failures, counts.attempts) ? 'open' : undefined;
  }
  if (!ownTrial) return undefined;
  return outcome === 'failure' ? 'reopen' : 'close';
}

/**
 * The breaker in one process (local mode: the server is the only instance; api.md "locally
 * in-process"). The same rules as the shared one deployed; state changes emit `gateway.opened` and
 * `gateway.closed`.
 */
export class InProcessGatewayHealth implements GatewayHealthPort {
  private readonly states = new Map<string, BreakerState>();

  constructor(private readonly events: EventPort) {}

  async health(gatewayIds: readonly string[], now: number): Promise<Map<string, GatewayHealth>> {
    return new Map(gatewayIds.map((id) => [id, healthOf(this.states.get(id), now)]));
  }

  async record(gatewayId: string, outcome: TransportOutcome, now: number): Promise<void> {
    const state = this.states.get(gatewayId) ?? { outcomes: [] };
    this.states.set(gatewayId, state);
    state.outcomes = state.outcomes.filter((o) => o.at > now - HEALTH_WINDOW_MS);
    state.outcomes.push({ at: now, failure: outcome === 'failure' });
    const before = healthOf(state, now);
    if (before.state === 'closed') {
      if (opens(before.failures, before.attempts)) this.open(gatewayId, state, now);
      return;
    }
    // Only the half-open gateway's trial decides; outcomes of last-resort sends while open just count.
    if (before.state !== 'half-open' || state.trialClaimedAt === undefined) return;
    if (outcome === 'failure') this.open(gatewayId, state, now);
    else this.close(gatewayId, state, now);
  }

  async claimTrial(gatewayId: string, now: number): Promise<boolean> {
    const state = this.states.get(gatewayId);
    if (!state || healthOf(state, now).state !== 'half-open') return false;
    if (state.trialClaimedAt !== undefined && state.trialClaimedAt > now - TRIAL_CLAIM_MS) return false;
    state.trialClaimedAt = now;
    return true;
  }

  private open(gatewayId: string, state: BreakerState, now: number): void {
    state.openedAt = now;
    delete state.trialClaimedAt;
    const health = healthOf(state, now);
    this.events.emit('gateway.opened', {
      gatewayId,
      failures: health.failures,
      attempts: health.attempts,
      openedAt: health.openedAt,
    });
  }

  private close(gatewayId: string, state: BreakerState, now: number): void {
    const health = healthOf(state, now);
    delete state.openedAt;
    delete state.trialClaimedAt;
    // A fresh window: the failures that opened it are history.
    state.outcomes = [];
    this.events.emit('gateway.closed', {
      gatewayId,
      failures: health.failures,
      attempts: health.attempts,
      openedAt: health.openedAt,
    });
  }
}
