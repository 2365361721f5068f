/**
 * Every problem slug of api.md with its status: the operation objects declare which of these a route
 * can answer, and the OpenAPI document and the contract check read the statuses from here.
 */
export const PROBLEM_STATUS = {
  'validation-failed': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'gateway-in-use': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'invalid-code': 422,
  'challenge-expired': 410,
  'challenge-used': 409,
  'too-many-attempts': 429,
  'rate-limited': 429,
  'phone-not-allowed': 422,
  'sms-disabled': 409,
  'channel-unavailable': 409,
  'send-blocked': 422,
  'gateway-error': 502,
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemSlug = keyof typeof PROBLEM_STATUS;
