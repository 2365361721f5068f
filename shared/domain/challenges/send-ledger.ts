import type { EventPort } from '../../ports/events.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { blockedError, evaluateFraudGuard } from '../fraud/fraud-guard.ts';
import { isBudgetWindow } from '../fraud/fraud-windows.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import type { PhoneNumber } from '../phone.ts';
import type { GatewayPrices } from '../sending/prices.ts';
import type { AttemptLedger, AttemptTarget } from '../sending/sms-delivery.ts';
import type { AttemptCounts, SendCounts, ShardedWindow } from '../sending/send-plan.ts';
import type { CounterWindow } from '../sending/send-windows.ts';

/** The counter items of one number in one store. */
export interface CountScope {
  storeId: string;
  phoneKey: string;
}

/**
 * Counts one send against the store-wide day on one of its shards, outside the send's transaction (so
 * that concurrent sends of a store never conflict on one item). A full shard hands over to the next;
 * null when every shard is full.
 */
export async function countStoreSend(
  counters: SendCounters,
  scope: CountScope,
  { window, shards }: ShardedWindow,
): Promise<CounterWindow | null> {
  const first = window.shard ?? 0;
  for (let i = 0; i < shards; i++) {
    const candidate = { ...window, shard: (first + i) % shards };
    if (!(await counters.count(scope.storeId, scope.phoneKey, [candidate]))) return candidate;
  }
  return null;
}

/** The store-wide days one send counts on: what was taken, or the day that is full (the rest handed back). */
export type StoreDaysCount = { taken: CounterWindow[]; full: null } | { taken: []; full: ShardedWindow };

/** The store's day and, for a call, the store's call day: each on a shard, in parallel. */
export async function countStoreDays(
  counters: SendCounters,
  scope: CountScope,
  { storeDay, voiceStoreDay }: Pick<SendCounts, 'storeDay' | 'voiceStoreDay'>,
): Promise<StoreDaysCount> {
  const days = [storeDay, voiceStoreDay].filter((day): day is ShardedWindow => !!day);
  const wins = await Promise.all(days.map((day) => countStoreSend(counters, scope, day)));
  const taken = wins.filter((win): win is CounterWindow => win !== null);
  const full = days.find((_, i) => wins[i] === null);
  if (!full) return { taken, full: null };
  if (taken.length > 0) await counters.refund(scope.storeId, scope.phoneKey, taken);
  return { taken: [], full };
}

export type SendCount =
  | { ok: true; taken: CounterWindow[] }
  /** `refused`: the full window (a per-phone one, or a store-wide day's shard). */
  | { ok: false; refused: CounterWindow };

/**
 * Counts one provider request against every send limit (the number's windows in one write, the store's
 * day on a shard beside it); a refusal hands back whatever was taken. The sends that are not issued
 * codes (a further attempt of a code, a relayed identity-provider code) are counted here.
 */
export async function countSend(
  counters: SendCounters,
  scope: CountScope,
  counts: SendCounts,
): Promise<SendCount> {
  const [phoneRefusal, days] = await Promise.all([
    counters.count(scope.storeId, scope.phoneKey, counts.windows),
    countStoreDays(counters, scope, counts),
  ]);
  const taken = [...(phoneRefusal ? [] : counts.windows), ...days.taken];
  const refused = phoneRefusal ?? days.full?.window;
  if (refused) {
    if (taken.length > 0) await counters.refund(scope.storeId, scope.phoneKey, taken);
    return { ok: false, refused };
  }
  return { ok: true, taken };
}

/** What a further attempt's count needs besides the counters: the budget refusal's telemetry and event. */
export interface AttemptLedgerDeps {
  counters: SendCounters;
  telemetry: Telemetry;
  events?: EventPort | undefined;
}

/** One send's number and store, and what an attempt through a gateway of `prices` counts (send-plan.ts). */
export interface AttemptScope extends CountScope {
  store: Pick<IdentityStore, 'id' | 'fraudGuard'>;
  phone: PhoneNumber;
  counts: (prices: GatewayPrices | undefined) => AttemptCounts;
  /** Epoch ms: a budget refusal's Retry-After. */
  now: () => number;
}

/**
 * The ledger of one send's provider attempts: what the last count took (the send limits and the budgets
 * charged that attempt's price), so that a refusal gives back exactly that. The first attempt is counted
 * by the issuing write and handed in as `initial` (its budget charges among them). A further attempt is
 * counted in one round: the number's windows, the store's day and each budget, in parallel. A budget it
 * would exceed refuses the attempt as it refuses a first one (`send-blocked`, `send.blocked`); the
 * attempts made before keep their charges.
 */
export class SendAttemptLedger implements AttemptLedger {
  private held: CounterWindow[];
  /** The gateway whose price the held budget charges were taken at. */
  private pricedAt: string | undefined;

  constructor(
    private readonly deps: AttemptLedgerDeps,
    private readonly scope: AttemptScope,
    /** The first attempt's counts, its budgets charged at `initialGateway`'s price (the plan's head). */
    initial: CounterWindow[],
    initialGateway: string | undefined,
  ) {
    this.held = initial;
    this.pricedAt = initialGateway;
  }

  /**
   * The held count pays for an attempt through another gateway than the one it was priced at (rare: the
   * head was open, or not available): its budget charges are taken again at this gateway's price, then
   * the old ones handed back, so a budget is never short of what went out.
   */
  async carry(attempt: AttemptTarget): Promise<void> {
    if (attempt.gatewayId === this.pricedAt) return;
    this.pricedAt = attempt.gatewayId;
    const old = this.held.filter(isBudgetWindow);
    const budgets = this.scope.counts(attempt.prices).budgets;
    const same =
      old.length === budgets.length &&
      budgets.every((b, i) => b.window.limit === old[i]!.limit && b.window.amount === old[i]!.amount);
    if (same) return;
    const { store, phone, phoneKey } = this.scope;
    const charged = await evaluateFraudGuard(this.deps, store, phone, phoneKey, {
      planned: budgets,
      unverified: [],
    });
    if (charged.blocked) throw blockedError(charged.blocked, this.scope.now());
    this.held = [...this.held.filter((w) => !isBudgetWindow(w)), ...charged.taken];
    if (old.length > 0) await this.deps.counters.refund(store.id, phoneKey, old);
  }

  async count(attempt: AttemptTarget): Promise<boolean> {
    const { counters } = this.deps;
    const { store, phone, phoneKey } = this.scope;
    const counts = this.scope.counts(attempt.prices);
    const [counted, budgets] = await Promise.all([
      countSend(counters, this.scope, counts),
      evaluateFraudGuard(this.deps, store, phone, phoneKey, { planned: counts.budgets, unverified: [] }),
    ]);
    if (counted.ok && !budgets.blocked) {
      this.held = [...counted.taken, ...budgets.taken];
      this.pricedAt = attempt.gatewayId;
      return true;
    }
    // Whichever refused, nothing of this attempt stays counted (a blocked verdict took nothing).
    if (counted.ok && counted.taken.length > 0) await counters.refund(store.id, phoneKey, counted.taken);
    if (!counted.ok && budgets.taken.length > 0) await counters.refund(store.id, phoneKey, budgets.taken);
    if (budgets.blocked) throw blockedError(budgets.blocked, this.scope.now());
    return false;
  }

  async refund(): Promise<void> {
    const held = this.held;
    this.held = [];
    if (held.length > 0) await this.deps.counters.refund(this.scope.storeId, this.scope.phoneKey, held);
  }
}
