import type { SendLimits } from '../identity-stores/identity-store.ts';

export const TEN_MINUTES_MS = 600_000;
export const DAY_MS = 86_400_000;

export type LimitName =
  | 'perPhonePer10Minutes'
  | 'perPhonePerDay'
  | 'trustedPerDay'
  | 'perStorePerDay'
  | 'resendInterval'
  | 'factorLocked';

/** The fraud guard's and spend limits' windows (shared/domain/fraud/). */
export type FraudLimit =
  | 'prefixPerHour'
  | 'countryPerHour'
  | 'clientIpPer10Minutes'
  | 'applicationPerMinute'
  | 'storeSpendPerDay'
  | 'countrySpendPerDay';

/** One fixed counting window: `bucket` numbers the window, `max` is what one counter item may reach. */
export interface CounterWindow {
  limit:
    | Extract<LimitName, 'perPhonePer10Minutes' | 'perPhonePerDay' | 'trustedPerDay' | 'perStorePerDay'>
    | FraudLimit;
  /** What the window counts, when it is not the phone: a prefix, a country, an address, an application. */
  subject?: string;
  /** What one send adds (spend windows: its cost in millionths); 1 when absent. */
  amount?: number;
  bucket: number;
  max: number;
  /** Epoch ms when the window ends (also the Retry-After of a refusal). */
  endsAt: number;
  /** Store-wide windows only: which of the store's counter items this send counts on. */
  shard?: number;
}

/** Per-phone windows are exact: one counter item each, counted inside the send's transaction. */
export function phoneWindows(limits: SendLimits, now: number): CounterWindow[] {
  const tenMinutes = Math.floor(now / TEN_MINUTES_MS);
  const day = Math.floor(now / DAY_MS);
  return [
    {
      limit: 'perPhonePer10Minutes',
      bucket: tenMinutes,
      max: limits.perPhonePer10Minutes,
      endsAt: (tenMinutes + 1) * TEN_MINUTES_MS,
    },
    { limit: 'perPhonePerDay', bucket: day, max: limits.perPhonePerDay, endsAt: (day + 1) * DAY_MS },
  ];
}

/** A store's daily count is split over this many items at most, so that no item takes every send. */
export const MAX_STORE_SHARDS = 16;
/** Below 100 sends per shard a store keeps fewer shards: small limits stay exact or nearly so. */
const MIN_SENDS_PER_SHARD = 100;

/**
 * The store-wide window is sharded: shard `i` may take ceil(max / shards) sends, so the store as a whole
 * takes at most shards * ceil(max / shards) < max + shards sends a day (fewer than `shards` too many), and
 * a full shard hands the send to the next one, so nothing is refused while any shard has room.
 */
export function storeShardCount(limits: SendLimits): number {
  return Math.min(MAX_STORE_SHARDS, Math.max(1, Math.floor(limits.perStorePerDay / MIN_SENDS_PER_SHARD)));
}

export function storeWindow(limits: SendLimits, now: number, shard: number): CounterWindow {
  const day = Math.floor(now / DAY_MS);
  return {
    limit: 'perStorePerDay',
    bucket: day,
    max: Math.ceil(limits.perStorePerDay / storeShardCount(limits)),
    endsAt: (day + 1) * DAY_MS,
    shard,
  };
}

export function limitMessage(limit: LimitName): string {
  switch (limit) {
    case 'perPhonePer10Minutes':
      return 'Too many codes were sent to this number in the last 10 minutes.';
    case 'perPhonePerDay':
      return 'Too many codes were sent to this number today.';
    case 'trustedPerDay':
      return 'This trusted number has had its sends for today.';
    case 'perStorePerDay':
      return "The identity store's daily SMS budget is used up.";
    default:
      return 'A code was sent moments ago; wait before asking for another.';
  }
}
