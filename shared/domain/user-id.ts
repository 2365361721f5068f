/**
 * api.md "userId is opaque": the client app's own id for a user, any 1..128 Unicode code points without
 * `/`. Its shape never changes an answer, so this is the only rule it meets, wherever it comes from (a
 * `/v1` path, a Cognito trigger).
 */
export const MAX_USER_ID_CODE_POINTS = 128;

/** Why `value` is not a user id, or undefined when it is one. */
export function userIdProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  // Code points, not UTF-16 units: an emoji is one of the 128.
  if ([...value].length > MAX_USER_ID_CODE_POINTS)
    return `must be at most ${MAX_USER_ID_CODE_POINTS} characters`;
  if (value.includes('/')) return 'must not contain /';
  // A lone surrogate is not a code point of any text (its UTF-8 form does not exist).
  if (/\p{Cs}/u.test(value)) return 'must be well-formed Unicode text';
  return undefined;
}
