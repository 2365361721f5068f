/** One future look at a challenge's expiry (`at`: epoch ms, never earlier than the expiry itself). */
export interface ExpiryCheck {
  storeId: string;
  challengeId: string;
  at: number;
}

/**
 * Deployed, where no process outlives a request: something that calls `ReportExpiry` for a challenge at
 * `at`. Idempotent: scheduling the same check twice (events are delivered at least once) is one check.
 */
export interface ExpiryScheduler {
  schedule(check: ExpiryCheck): Promise<void>;
}
