export const TEN_MINUTES_MS = 600_000;
export const DAY_MS = 86_400_000;

export type LimitName =
  | 'perPhonePer10Minutes'
  | 'perPhonePerDay'
  | 'trustedPerDay'
  | 'perStorePerDay'
  | 'voicePerPhonePerDay'
  | 'voicePerStorePerDay'
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
  // Every limit but the two that no counter holds (the resend interval and a locked factor).
  limit: Exclude<LimitName, 'resendInterval' | 'factorLocked'> | FraudLimit;
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

/** A hot key's count (the store's day, a country, ...) is split over this many items at most (send-plan.ts). */
export const MAX_STORE_SHARDS = 16;
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
    case 'voicePerPhonePerDay':
      return 'Too many calls were made to this number today.';
    case 'voicePerStorePerDay':
      return "The identity store's daily call budget is used up.";
    default:
      return 'A code was sent moments ago; wait before asking for another.';
  }
}
