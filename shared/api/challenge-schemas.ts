import * as z from 'zod';
import { phoneNumber, resourceId } from './common.ts';

export const enrollBody = z.strictObject({
  phoneNumber: phoneNumber.optional(),
  approvedChallengeId: resourceId.optional(),
});

export const verifyPhoneBody = z.strictObject({ phoneNumber });

/** Any code-shaped string is judged (and counted) by the challenge; only absurd input is a 400. */
export const verifyBody = z.strictObject({
  code: z
    .string()
    .max(16)
    .regex(/^\d{1,16}$/, 'must be the digits of the code'),
});

export const challengeParams = z.object({ challengeId: resourceId });
