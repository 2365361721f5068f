import type { FraudGuard } from '../identity-stores/identity-store.ts';
import type { CounterWindow, FraudLimit } from '../sending/send-windows.ts';
import { clientIpKey } from './client-ip.ts';
import { shardCount } from '../sending/send-plan.ts';

/** The fraud-guard windows an admin can see and lift (budget and application limits are not listed). */
export const BLOCK_KINDS = ['prefix', 'country', 'client-ip'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

const LIMIT_OF: Record<BlockKind, FraudLimit> = {
  prefix: 'prefixPerHour',
  country: 'countryPerHour',
  'client-ip': 'clientIpPer10Minutes',
};
const KIND_OF = new Map<string, BlockKind>(BLOCK_KINDS.map((kind) => [LIMIT_OF[kind], kind]));

/** One counter item of a fraud-guard window as the table holds it (one per shard of a sharded window). */
export interface CounterState {
  window: Pick<CounterWindow, 'limit' | 'subject' | 'bucket' | 'shard'>;
  /** What the item has counted. */
  count: number;
  /** What the item may take (the window's per-item maximum when it was last counted on). */
  max: number;
  /** Epoch ms when the window ends. */
  until: number;
  /** An admin lifted the window's block: it takes every send until it ends. */
  lifted: boolean;
}

export interface Block {
  kind: BlockKind;
  value: string;
  /** Prefix and country windows count unverified sends; an address counts every send. */
  unverified?: number;
  until: string;
  /** The counter items that make up the block, for lifting it. */
  items: CounterState[];
}

/**
 * A window blocks when every one of its items is full for a send of one (a sharded country window
 * hands a send over to any shard with room, so it blocks only once all its shards are full), it has
 * not ended and it was not lifted. Only `enforce` blocks anything.
 */
export function activeBlocks(guard: FraudGuard, states: readonly CounterState[], now: number): Block[] {
  if (guard.mode !== 'enforce') return [];
  const windows = new Map<string, CounterState[]>();
  for (const state of states) {
    if (state.until <= now || !KIND_OF.has(state.window.limit)) continue;
    const id = `${state.window.limit}|${state.window.subject}|${state.window.bucket}`;
    windows.set(id, [...(windows.get(id) ?? []), state]);
  }
  const blocks: Block[] = [];
  for (const items of windows.values()) {
    const { window, until } = items[0]!;
    const kind = KIND_OF.get(window.limit)!;
    const shards = kind === 'country' ? shardCount(guard.maxUnverifiedPerCountryPerHour) : 1;
    const full = items.filter((item) => !item.lifted && item.count >= item.max);
    if (full.length < shards || full.length < items.length) continue;
    blocks.push({
      kind,
      value: window.subject ?? '',
      ...(kind === 'client-ip' ? {} : { unverified: items.reduce((sum, item) => sum + item.count, 0) }),
      until: new Date(until).toISOString(),
      items,
    });
  }
  return blocks.sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
}

/**
 * A block's value as the counters spell it, or null when it cannot name one: prefix digits without
 * `+`, an ISO country (or the calling code of a number without one), an address as clientIpKey spells it.
 */
export function blockValue(kind: BlockKind, value: string): string | null {
  switch (kind) {
    case 'prefix':
      return /^\d{1,15}$/.test(value) ? value : null;
    case 'country':
      return /^([A-Z]{2}|\d{1,3})$/.test(value) ? value : null;
    case 'client-ip':
      return clientIpKey(value);
  }
}
