/**
 * No event carries a code, a full phone number, a key or a password (api.md). Field names that hold
 * such values are refused outright; every string value is also checked for the shapes of those values,
 * so that a full number under an innocent name is caught too. Masked numbers (`+44*******456`) pass.
 *
 * Except the opaque ids that others choose, which events carry as given whatever they look like
 * (api.md "userId is opaque"): the client app's `userId` (`12345`, `+447400123456`, a snowflake), the
 * admin's `actor` (an IAM ARN holds a 12-digit account id) and the provider's `providerMessageId`. The
 * challenge's own number is never among them: events carry it only as `maskedPhone`.
 */
const OPAQUE_FIELDS = new Set(['userId', 'actor', 'providerMessageId']);

const FORBIDDEN_FIELDS = new Set([
  'code',
  'codes',
  'phone',
  'phonenumber',
  'to',
  'e164',
  'key',
  'apikey',
  'password',
  'secret',
  'callbacksecret',
  'token',
  'hash',
  'body',
]);

/** A full phone number: 7 to 15 digits in a row, not part of an id and not masked. */
const FULL_NUMBER = /(?<![A-Za-z0-9*])\+?\d{7,15}(?![A-Za-z0-9*])/;
/** A value that is nothing but a few digits: a code. */
const CODE = /^\s*\d{4,10}\s*$/;
/** A webhook secret or an API key (`<key id>.<base64url secret>`). */
const SECRET_SHAPES = [/whsec_/, /\bak_[a-z0-9]+\.[A-Za-z0-9_-]{20,}/];

export function secretsIn(value: unknown, path = 'data'): string[] {
  if (typeof value === 'string') {
    if (FULL_NUMBER.test(value) || CODE.test(value))
      return [`${path}: looks like a full phone number or code`];
    if (SECRET_SHAPES.some((shape) => shape.test(value))) return [`${path}: looks like a key or secret`];
    return [];
  }
  if (typeof value === 'number') {
    // Codes and numbers as numbers: anything of 4+ digits that is not a plausible amount or count.
    return Number.isInteger(value) && Math.abs(value) >= 1000 ? [`${path}: a long number`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => secretsIn(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([field, item]) => {
      if (FORBIDDEN_FIELDS.has(field.toLowerCase()))
        return [`${path}.${field}: a field that may hold a secret`];
      if (OPAQUE_FIELDS.has(field) && typeof item === 'string') return [];
      return secretsIn(item, `${path}.${field}`);
    });
  }
  return [];
}

/**
 * A programming error in an emitter: the event is not emitted, the refusal is logged and counted
 * (`SideEffectFailed`, kind `event-guard`), and the request's answer stands. `findings` are field paths.
 */
export class EventDataRefused extends Error {
  constructor(readonly findings: string[]) {
    super(`event data refused: ${findings.join('; ')}`);
    this.name = 'EventDataRefused';
  }
}

export function assertSafeEventData(data: unknown): void {
  const found = secretsIn(data);
  if (found.length > 0) throw new EventDataRefused(found);
}
