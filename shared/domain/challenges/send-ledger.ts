import type { Random } from '../../ports/random.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { SendLimits } from '../identity-stores/identity-store.ts';
import type { AttemptLedger } from '../sending/sms-delivery.ts';
import { numberWindows, type NumberClass } from '../sending/number-class.ts';
import { storeShardCount, storeWindow, type CounterWindow } from '../sending/send-windows.ts';

/**
 * Counts one send against the store-wide day on one of its shards, outside the send's transaction (so
 * that concurrent sends of a store never conflict on one item). A full shard hands over to the next;
 * null when every shard is full.
 */
export async function countStoreSend(
  counters: SendCounters,
  random: Random,
  storeId: string,
  phoneKey: string,
  limits: SendLimits,
  now: number,
): Promise<CounterWindow | null> {
  const shards = storeShardCount(limits);
  const first = random.int(shards);
  for (let i = 0; i < shards; i++) {
    const window = storeWindow(limits, now, (first + i) % shards);
    if (!(await counters.count(storeId, phoneKey, [window]))) return window;
  }
  return null;
}

export type SendCount =
  | { ok: true; taken: CounterWindow[] }
  /** `refused`: the full per-phone window, or null when the store-wide day is full. */
  | { ok: false; refused: CounterWindow | null };

/**
 * Counts one provider request against every send limit (the phone's windows in one write, the store's
 * day on a shard beside it); a refusal hands back whatever was taken. The sends that are not issued
 * codes (a further attempt of a code, a relayed identity-provider code) are counted here.
 */
export async function countSend(
  counters: SendCounters,
  random: Random,
  scope: { storeId: string; phoneKey: string; limits: SendLimits; numberClass?: NumberClass },
  now: number,
): Promise<SendCount> {
  const { storeId, phoneKey, limits } = scope;
  const windows = numberWindows(limits, scope.numberClass ?? 'ordinary', now);
  const [phoneRefusal, storeWin] = await Promise.all([
    counters.count(storeId, phoneKey, windows),
    countStoreSend(counters, random, storeId, phoneKey, limits, now),
  ]);
  const taken = [...(phoneRefusal ? [] : windows), ...(storeWin ? [storeWin] : [])];
  if (phoneRefusal || !storeWin) {
    await counters.refund(storeId, phoneKey, taken);
    return { ok: false, refused: phoneRefusal };
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
    private readonly random: Random,
    private readonly scope: {
      storeId: string;
      phoneKey: string;
      limits: SendLimits;
      numberClass?: NumberClass;
      now: () => number;
    },
    initial: CounterWindow[],
  ) {
    this.held = initial;
  }

  async count(): Promise<boolean> {
    const counted = await countSend(this.counters, this.random, this.scope, this.scope.now());
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
