import type { SendCounters } from '../../ports/send-counters.ts';
import type { AttemptLedger } from '../sending/sms-delivery.ts';
import type { SendCounts, ShardedWindow } from '../sending/send-plan.ts';
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

/**
 * The ledger of one send's provider attempts: what the last count took, so that a refusal gives back
 * exactly that. The first attempt is counted by the issuing write and handed in as `initial`.
 */
export class SendAttemptLedger implements AttemptLedger {
  private held: CounterWindow[];

  constructor(
    private readonly counters: SendCounters,
    private readonly scope: CountScope & { counts: () => SendCounts },
    initial: CounterWindow[],
  ) {
    this.held = initial;
  }

  async count(): Promise<boolean> {
    const counted = await countSend(this.counters, this.scope, this.scope.counts());
    if (!counted.ok) return false;
    this.held = counted.taken;
    return true;
  }

  async refund(): Promise<void> {
    const held = this.held;
    this.held = [];
    if (held.length > 0) await this.counters.refund(this.scope.storeId, this.scope.phoneKey, held);
  }
}
