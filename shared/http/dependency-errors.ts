import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

/** DynamoDB reports throttling inside a cancelled transaction as a per-item reason, not as the error's name. */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

type SdkLike = Error & {
  $metadata?: { httpStatusCode?: number };
  $service?: string;
  CancellationReasons?: Array<{ Code?: string }>;
};

function givenUp(error: SdkLike): boolean {
  if (isThrottlingError(error as never) || isTransientError(error as never)) return true;
  if (error.$metadata && isServerError(error as never)) return true;
  return (error.CancellationReasons ?? []).some((reason) => THROTTLED_REASONS.has(reason.Code ?? ''));
}

/**
 * Whether an error that escaped a handler is a dependency the SDK gave up on (throttled after its
 * retries, unreachable, timing out, or failing on its side), judged by the SDK's own classification.
 * Wrapped errors (a cache or provider that rethrows with `cause`) are followed a few levels down.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (givenUp(current as SdkLike)) return true;
    current = current.cause;
  }
  return false;
}
