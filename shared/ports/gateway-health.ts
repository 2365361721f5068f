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
   * Each gateway's health at `now` from a per-instance snapshot; a gateway never seen is `closed` with
   * zeros. A snapshot 5 s old is read again. `wait`: `read` (the admin routes) waits for that read;
   * `in-flight` (a send choosing its gateways after its write) waits only for reads already running,
   * which ran beside its write (its routing facts started them), so it adds no round trip; without it
   * nothing is waited for.
   */
  health(
    gatewayIds: readonly string[],
    now: number,
    options?: { wait?: 'read' | 'in-flight' },
  ): Promise<Map<string, GatewayHealth>>;
}
