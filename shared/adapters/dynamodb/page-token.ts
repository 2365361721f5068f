import { ValidationFailed } from '../../domain/errors.ts';

type Key = Record<string, string>;

/** Pagination tokens are the opaque, base64url-encoded LastEvaluatedKey of a Query. */
export function encodePageToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** Refuses tokens that are not a key of the expected partition, so a token cannot steer the query. */
export function decodePageToken(token: string | undefined, partition: string): Key | undefined {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      key !== null &&
      typeof key === 'object' &&
      Object.values(key).every((v) => typeof v === 'string') &&
      (key as Key).pk === partition &&
      typeof (key as Key).sk === 'string'
    ) {
      return key as Key;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed([{ path: 'nextToken', message: 'is not a token returned by this list' }]);
}
