/** Business metrics, kept behind a port so the domain does not know Powertools. */
export interface Telemetry {
  /** `value` defaults to 1 (EstimatedSpend adds an amount in currency units). */
  count(metric: string, dimensions?: Record<string, string>, value?: number): void;
  /** Milliseconds. */
  timing(metric: string, milliseconds: number, dimensions?: Record<string, string>): void;
  /** A level in percent (BudgetUsedPercent: how full a spend budget is after a send). */
  percent(metric: string, value: number, dimensions?: Record<string, string>): void;
  /** An operational warning for the logs; fields must already be safe (masked numbers, sanitized reasons). */
  warn(message: string, fields: Record<string, string>): void;
}

export const noTelemetry: Telemetry = {
  count: () => undefined,
  timing: () => undefined,
  percent: () => undefined,
  warn: () => undefined,
};
