import {
  authenticateBody,
  challengeParams,
  enrollBody,
  verifyBody,
  verifyPhoneBody,
} from '../api/challenge-schemas.ts';
import {
  approvalSchema,
  challengeSchema,
  enrollmentSchema,
  factorSchema,
  mfaDecisionSchema,
} from '../api/response-schemas.ts';
import { mfaQuery, userParams } from '../api/user-schemas.ts';
import { defineOperation } from './operation.ts';

/**
 * What the three routes that send a code share: the caller's key, what a send touches, the problems a
 * send can answer besides success (a resend can also be a `conflict`), and api.md's `Idempotency-Key`.
 */
const sendsCode = {
  auth: 'api-key',
  access: ['config:read', 'challenges:write', 'gateway-secrets:read', 'pepper:read'],
  problems: [
    'sms-disabled',
    'channel-unavailable',
    'phone-not-allowed',
    'rate-limited',
    'too-many-attempts',
    'gateway-error',
    'conflict',
    'send-blocked',
  ],
  idempotent: true,
  sends: true,
} as const;

/** Client routes: the API key's identity store scopes every id they name. */
const byApiKey = { auth: 'api-key' } as const;

export const mfaStatus = defineOperation({
  ...byApiKey,
  id: 'users-mfa',
  method: 'GET',
  path: '/v1/users/{userId}/mfa',
  // The key pepper: the userRef of the request's log lines (api.md "User ids in logs"), as below.
  access: ['config:read', 'challenges:read', 'pepper:read'],
  summary: 'What the user must do after the first factor: the SMS policy decision',
  params: userParams,
  query: mfaQuery,
  status: 200,
  response: mfaDecisionSchema,
  problems: [],
});

export const enrollFactor = defineOperation({
  id: 'sms-factor-enroll',
  method: 'PUT',
  path: '/v1/users/{userId}/sms-factor',
  ...sendsCode,
  summary: 'Start enrollment of a phone number and send a code',
  params: userParams,
  body: enrollBody,
  status: 202,
  response: enrollmentSchema,
  // Replacing an active factor's number without a valid approval.
  problems: [...sendsCode.problems, 'forbidden'],
});

export const getFactor = defineOperation({
  ...byApiKey,
  id: 'sms-factor-get',
  method: 'GET',
  path: '/v1/users/{userId}/sms-factor',
  access: ['challenges:read', 'pepper:read'],
  summary: "The user's SMS factor",
  params: userParams,
  status: 200,
  response: factorSchema,
  problems: ['not-found'],
});

export const deleteFactor = defineOperation({
  ...byApiKey,
  id: 'sms-factor-delete',
  method: 'DELETE',
  path: '/v1/users/{userId}/sms-factor',
  access: ['challenges:write', 'pepper:read'],
  summary: "Remove the user's SMS factor (the number is remembered for re-enrollment)",
  params: userParams,
  status: 204,
  problems: ['not-found'],
});

export const authenticate = defineOperation({
  id: 'challenges-authenticate',
  method: 'POST',
  path: '/v1/users/{userId}/sms-factor/challenges',
  ...sendsCode,
  summary: "Send a code to the active factor's phone",
  params: userParams,
  body: authenticateBody,
  status: 201,
  response: challengeSchema,
});

export const verifyPhone = defineOperation({
  id: 'verifications-create',
  method: 'POST',
  path: '/v1/verifications',
  ...sendsCode,
  summary: 'Verify a phone number without a user (sign-up)',
  body: verifyPhoneBody,
  status: 201,
  response: challengeSchema,
});

export const verifyCode = defineOperation({
  ...byApiKey,
  id: 'challenges-verify',
  method: 'POST',
  path: '/v1/challenges/{challengeId}/verify',
  access: ['config:read', 'challenges:write', 'pepper:read', 'notifier:invoke'],
  summary: 'Verify a code',
  params: challengeParams,
  body: verifyBody,
  status: 200,
  response: approvalSchema,
  problems: [
    'not-found',
    'invalid-code',
    'challenge-expired',
    'challenge-used',
    'too-many-attempts',
    'conflict',
  ],
});

export const cancelChallenge = defineOperation({
  ...byApiKey,
  id: 'challenges-cancel',
  method: 'POST',
  path: '/v1/challenges/{challengeId}/cancel',
  // Reads the challenge and ends it (a conditional write of the challenge item alone).
  access: ['challenges:write'],
  summary: 'Cancel a challenge (the user closed the dialog): its codes no longer verify',
  params: challengeParams,
  status: 204,
  problems: ['not-found', 'challenge-used', 'conflict'],
});
