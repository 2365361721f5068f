import type { EventPort } from '../../ports/events.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone, type PhoneNumber } from '../phone.ts';
import type { CounterWindow, FraudLimit } from '../sending/send-windows.ts';
import { onShard, type FraudPlan, type PlannedWindow } from './fraud-windows.ts';
import { BLOCK_REASONS, SendBlocked, type BlockReason } from './send-blocked.ts';

export interface FraudHit {
  reason: BlockReason;
  window: CounterWindow;
}

/**
 * The guard's decision on one send, for the caller to act on and for events (`send.blocked`,
 * `send.flagged`) to report.
 */
export interface FraudVerdict {
  /** The windows this send was counted on: handed back if the send goes nowhere. */
  taken: CounterWindow[];
  /** The unverified counts among `taken`: the challenge remembers them so that approval takes them off. */
  unverified: CounterWindow[];
  /** Enforced: the send must not go out (nothing of it is counted any more). */
  blocked: FraudHit | null;
  /** Monitor mode: what would have been blocked. */
  flagged: FraudHit[];
}

/** Nothing to count: an exempt number with no budgets, or before any guard existed. */
export const NO_VERDICT: FraudVerdict = { taken: [], unverified: [], blocked: null, flagged: [] };

/**
 * Counts one send on every fraud-guard and spend window at once (each counter its own single-item
 * conditional update, all in parallel, so hot keys never conflict in a transaction; a full shard hands
 * over to the next). A refused window hands back the others: a blocked send leaves no count behind.
 */
export async function evaluateFraudGuard(
  deps: { counters: SendCounters; telemetry: Telemetry; events?: EventPort | undefined },
  store: Pick<IdentityStore, 'id' | 'fraudGuard'>,
  phone: PhoneNumber,
  phoneKey: string,
  plan: FraudPlan,
): Promise<FraudVerdict> {
  const { planned } = plan;
  if (planned.length === 0) return NO_VERDICT;
  const counted = await Promise.all(planned.map((p) => countOn(deps.counters, store.id, phoneKey, p)));
  const taken = counted.flatMap((c) => (c ? [c.window] : []));
  const misses = planned.filter((_, i) => counted[i] === null);
  const enforced = misses.find((p) => p.budget || store.fraudGuard.mode === 'enforce');
  const country = phone.country ?? 'unknown';
  if (enforced) {
    await deps.counters.refund(store.id, phoneKey, taken);
    const reason = BLOCK_REASONS[enforced.window.limit as FraudLimit];
    deps.telemetry.count('SendBlocked', { reason, country });
    deps.events?.emit('send.blocked', guardEventData(store.id, phone, reason));
    return { taken: [], unverified: [], blocked: { reason, window: enforced.window }, flagged: [] };
  }
  reportBudgetLevels(deps.telemetry, planned, counted, country);
  const flagged = misses.map((p) => ({
    reason: BLOCK_REASONS[p.window.limit as FraudLimit],
    window: p.window,
  }));
  for (const hit of flagged) {
    deps.telemetry.count('SendFlagged', { reason: hit.reason, country });
    deps.telemetry.warn('send flagged by the fraud guard (monitor mode)', { reason: hit.reason, country });
    deps.events?.emit('send.flagged', guardEventData(store.id, phone, hit.reason));
  }
  const unverified = taken.filter((w) => planned.some((p) => p.unverified && p.window.limit === w.limit));
  return { taken, unverified, blocked: null, flagged };
}

/** The refusal of a blocked verdict, Retry-After at the end of the window. */
export function blockedError(hit: FraudHit, now: number): SendBlocked {
  return new SendBlocked(hit.reason, (hit.window.endsAt - now) / 1000);
}

/** The window (shard) a send was counted on, and that item's count after it. */
interface Counted {
  window: CounterWindow;
  total: number;
}

async function countOn(
  counters: SendCounters,
  storeId: string,
  phoneKey: string,
  planned: PlannedWindow,
): Promise<Counted | null> {
  const { window, shards } = planned;
  if ((window.amount ?? 1) > window.max) return null;
  const first = window.shard ?? 0;
  for (let i = 0; i < shards; i++) {
    const candidate = shards > 1 ? onShard(window, (first + i) % shards) : window;
    const total = await counters.countOne(storeId, phoneKey, candidate);
    if (total !== null) return { window: candidate, total };
  }
  return null;
}

/**
 * `BudgetUsedPercent` (by budget and country): how full each spend budget is after this send, read from
 * the counter's own answer (no extra request). A sharded budget reports the shard it counted on, whose
 * fill follows the whole budget's because sends start on a random shard. The alarm fires at 80 %.
 */
function reportBudgetLevels(
  telemetry: Telemetry,
  planned: readonly PlannedWindow[],
  counted: readonly (Counted | null)[],
  country: string,
): void {
  planned.forEach((p, i) => {
    const c = counted[i];
    if (!p.budget || !c || c.window.max <= 0) return;
    const budget = p.window.limit === 'storeSpendPerDay' ? 'store' : 'country';
    telemetry.percent('BudgetUsedPercent', Math.round((100 * c.total) / c.window.max), { budget, country });
  });
}

/** api.md: guard events name the store, the reason and the country; a prefix event names no number. */
function guardEventData(storeId: string, phone: PhoneNumber, reason: string) {
  return {
    storeId,
    reason,
    ...(phone.country ? { country: phone.country } : {}),
    ...(reason === 'prefix-velocity' ? {} : { maskedPhone: maskPhone(phone.e164) }),
  };
}
