import type { Telemetry } from '../ports/telemetry.ts';

/**
 * Side paths (api.md "Side paths never fail a request"): what is written beside an answer. A failure
 * or a refusal on one of them is logged and counted as `SideEffectFailed` with its `kind`, and the
 * answer stands. Audit records of admin writes are not among them (they share the write's
 * transaction); publishing them is (`event-publish`).
 */
export const SIDE_EFFECT_KINDS = [
  'event-guard',
  'event-publish',
  'webhook-dispatch',
  'metrics',
  'send-record',
  'receipt-pointer',
  'usage-counter',
] as const;
export type SideEffectKind = (typeof SIDE_EFFECT_KINDS)[number];

export const SIDE_EFFECT_FAILED = 'SideEffectFailed';

/**
 * What the log line may say about the work that failed: ids the service made and the event type. Never
 * a `userId` (log lines name users by `userRef` only) and never an error message, which may echo a value.
 */
export interface SideEffectContext {
  eventType?: string;
  storeId?: string;
  challengeId?: string;
  metric?: string;
}

/** An error that says why without echoing a value (the event guard's findings are field paths). */
export interface ExplainedError {
  findings: readonly string[];
}

export function sideEffectFailed(
  telemetry: Telemetry,
  kind: SideEffectKind,
  error: unknown,
  context: SideEffectContext = {},
): void {
  // Reporting a failure must not become one: a metrics or logging failure here is dropped.
  try {
    telemetry.count(SIDE_EFFECT_FAILED, { kind });
  } catch {
    // The log line below still says it.
  }
  try {
    telemetry.warn('side effect failed; the answer stands', {
      kind,
      error: errorName(error),
      ...(isExplained(error) ? { findings: error.findings.join('; ') } : {}),
      ...definedOnly(context),
    });
  } catch {
    // Nothing is left to tell.
  }
}

/**
 * Metrics are a side path too: a metric that cannot be recorded (a Powertools limit, a unit clash) is
 * reported and the caller goes on.
 */
export function reliableTelemetry(inner: Telemetry): Telemetry {
  const guarded =
    <A extends unknown[]>(record: (metric: string, ...rest: A) => void) =>
    (metric: string, ...rest: A) => {
      try {
        record(metric, ...rest);
      } catch (error) {
        if (metric !== SIDE_EFFECT_FAILED) sideEffectFailed(inner, 'metrics', error, { metric });
      }
    };
  return {
    count: guarded((metric, dimensions?: Record<string, string>, value?: number) =>
      inner.count(metric, dimensions, value),
    ),
    timing: guarded((metric, milliseconds: number, dimensions?: Record<string, string>) =>
      inner.timing(metric, milliseconds, dimensions),
    ),
    percent: guarded((metric, value: number, dimensions?: Record<string, string>) =>
      inner.percent(metric, value, dimensions),
    ),
    warn: (message, fields) => {
      try {
        inner.warn(message, fields);
      } catch {
        // A log line that cannot be written is not worth a failed request.
      }
    },
  };
}

function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== error.name ? `${error.name} (${code})` : error.name;
}

function isExplained(error: unknown): error is ExplainedError {
  return Array.isArray((error as Partial<ExplainedError> | undefined)?.findings);
}

function definedOnly(context: SideEffectContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(context).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
