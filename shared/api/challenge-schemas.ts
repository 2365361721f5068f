import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationFailed } from '../domain/errors.ts';
import { phoneNumber, resourceId } from './common.ts';

export const enrollBody = z.strictObject({
  phoneNumber: phoneNumber.optional(),
  approvedChallengeId: resourceId.optional(),
});

export const verifyPhoneBody = z.strictObject({ phoneNumber });

/** Any code-shaped string is judged (and counted) by the challenge; only absurd input is a 400. */
export const verifyBody = z.strictObject({
  code: z.string().regex(/^\d{1,16}$/, 'must be the digits of the code'),
});

export const challengeParams = z.object({ challengeId: resourceId });

/** api.md: any string up to 64 characters. */
export function idempotencyKey(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  // An empty header is no key at all.
  if (key === undefined || key === '') return undefined;
  if ([...key].length > 64) {
    throw new ValidationFailed([
      { path: 'header.idempotency-key', message: 'must be at most 64 characters' },
    ]);
  }
  return key;
}

/** A key replays only the same request: same route, same user, same body. */
export function requestFingerprint(routeId: string, ...parts: unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([routeId, ...parts]))
    .digest('base64url');
}
