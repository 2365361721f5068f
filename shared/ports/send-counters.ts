import type { CounterWindow } from '../domain/sending/send-windows.ts';

/** The send-limit counters, keyed by `phoneKey` (never the number): fixed windows, one counter item per window (and per shard store-wide). */
export interface SendCounters {
  /** Counts one send on every window at once, or on none: the first window that is full, else null. */
  count(storeId: string, phoneKey: string, windows: readonly CounterWindow[]): Promise<CounterWindow | null>;
  /** Counts one send on one window: the item's count after it, or null when the window is full. */
  countOne(storeId: string, phoneKey: string, window: CounterWindow): Promise<number | null>;
  /** Takes back sends that the provider refused (or that never reached it). Best effort. */
  refund(storeId: string, phoneKey: string, windows: readonly CounterWindow[]): Promise<void>;
}
