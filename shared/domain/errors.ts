/**
 * Domain failures carry the api.md problem slug and status so that the HTTP layer maps them
 * without knowing each operation. Everything else that escapes a handler is an `internal` 500.
 */
export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly slug: string,
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  constructor(errors: FieldError[], detail = 'The request is not valid.') {
    super('validation-failed', 400, 'Validation failed', detail, { errors });
  }
}

export class Unauthorized extends DomainError {
  constructor(detail = 'Missing or invalid credentials.') {
    super('unauthorized', 401, 'Unauthorized', detail);
  }
}

export class Forbidden extends DomainError {
  constructor(detail: string) {
    super('forbidden', 403, 'Forbidden', detail);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('not-found', 404, 'Not found', `${what} was not found.`);
  }
}

/** `value`, or a NotFound naming `what` when there is none. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(what);
  return value;
}

export class Conflict extends DomainError {
  constructor(detail: string) {
    super('conflict', 409, 'Conflict', detail);
  }
}

export class VersionMismatch extends Conflict {
  constructor(what: string) {
    super(`${what} was changed by another request; read it again and retry with its current version.`);
  }
}

export class GatewayInUse extends DomainError {
  constructor(identityStoreIds: string[]) {
    super(
      'gateway-in-use',
      409,
      'Gateway in use',
      'The gateway is linked to identity stores; unlink it from them first.',
      { identityStoreIds },
    );
  }
}

export class PayloadTooLarge extends DomainError {
  constructor(limitBytes: number) {
    super('payload-too-large', 413, 'Payload too large', `The request body exceeds ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaType extends DomainError {
  constructor() {
    super(
      'unsupported-media-type',
      415,
      'Unsupported media type',
      'A request body must be JSON: Content-Type: application/json (or a +json type).',
    );
  }
}

export class PhoneNotAllowed extends DomainError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super('phone-not-allowed', 422, 'Phone number not allowed', detail, extensions);
  }
}

const retryAfter = (seconds: number | undefined): Record<string, string> =>
  seconds === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(seconds))) };

export class RateLimited extends DomainError {
  constructor(detail: string, retryAfterSeconds: number) {
    super('rate-limited', 429, 'Too many messages', detail, {}, retryAfter(retryAfterSeconds));
  }
}

export class TooManyAttempts extends DomainError {
  constructor(detail: string, retryAfterSeconds?: number) {
    super('too-many-attempts', 429, 'Too many attempts', detail, {}, retryAfter(retryAfterSeconds));
  }
}

export class InvalidCode extends DomainError {
  constructor(attemptsRemaining: number) {
    super('invalid-code', 422, 'Invalid code', 'The code is not correct.', { attemptsRemaining });
  }
}

export class ChallengeExpired extends DomainError {
  constructor() {
    super('challenge-expired', 410, 'Code expired', 'The code has expired; ask for a new one.');
  }
}

export class ChallengeUsed extends DomainError {
  constructor() {
    super('challenge-used', 409, 'Code already used', 'This challenge was already verified.');
  }
}

export class SmsDisabled extends DomainError {
  constructor() {
    super(
      'sms-disabled',
      409,
      'SMS authentication disabled',
      'SMS authentication is not enabled for this identity store.',
    );
  }
}

/** `409 channel-unavailable`: the store (or the deployment) cannot send by the channel asked for. */
export class ChannelUnavailable extends DomainError {
  constructor(detail: string) {
    super('channel-unavailable', 409, 'Channel unavailable', detail);
  }
}

export class GatewayError extends DomainError {
  constructor(detail: string) {
    super('gateway-error', 502, 'SMS gateway error', detail);
  }
}

/** api.md "unavailable": a dependency (DynamoDB, Secrets Manager) is throttled or unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export class Unavailable extends DomainError {
  constructor() {
    super(
      'unavailable',
      503,
      'Service unavailable',
      'A dependency of the service is throttled or unreachable; retry after the given delay.',
      {},
      retryAfter(UNAVAILABLE_RETRY_AFTER_SECONDS),
    );
  }
}
