/**
 * A gateway's health from transport outcomes only (api.md "Gateway health"): a 5xx, a timeout, a
 * connection error or an authentication refusal is a failure; receipts, one number's refusals and test
 * connections never count. Shared by every function instance deployed within 5 s.
 */
export type HealthState = 'closed' | 'open' | 'half-open';

export interface GatewayHealth {
  state: HealthState;
  /** Failures within the last 60 s. */
  failures: number;
  /** Attempts within the last 60 s. */
  attempts: number;
  /** ISO 8601, while open or half-open. */
  openedAt?: string;
}

export interface GatewayHealthView {
  /**
   * Each gateway's health at `now` (a snapshot at most 5 s old); a gateway never seen is `closed` with
   * zeros. Sends never wait for a read (a stale snapshot is read again in the background); `wait` (the
   * admin routes) waits for a stale snapshot's read.
   */
  health(
    gatewayIds: readonly string[],
    now: number,
    options?: { wait?: boolean },
  ): Promise<Map<string, GatewayHealth>>;
}
