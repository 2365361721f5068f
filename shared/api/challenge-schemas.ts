import * as z from 'zod';
import { CLIENT_IP_MAX_LENGTH, clientIpKey } from '../domain/fraud/client-ip.ts';
import { phoneNumber, resourceId } from './common.ts';

/** The end user's address as the client app saw it; canonicalised (one spelling, IPv6 per /64). */
const clientIp = z
  .string()
  .max(CLIENT_IP_MAX_LENGTH)
  .refine((value) => clientIpKey(value) !== null, 'must be an IPv4 or IPv6 address')
  .meta({ description: "The end user's IPv4 or IPv6 address, for the per-address send limit" });

export const enrollBody = z.strictObject({
  phoneNumber: phoneNumber.optional(),
  approvedChallengeId: resourceId.optional(),
  clientIp: clientIp.optional(),
});

export const verifyPhoneBody = z.strictObject({ phoneNumber, clientIp: clientIp.optional() });

export const authenticateBody = z.strictObject({ clientIp: clientIp.optional() });

/** Any code-shaped string is judged (and counted) by the challenge; only absurd input is a 400. */
export const verifyBody = z.strictObject({
  code: z
    .string()
    .max(16)
    .regex(/^\d{1,16}$/, 'must be the digits of the code'),
});

export const challengeParams = z.object({ challengeId: resourceId });
