import * as z from 'zod';
import { CLIENT_IP_MAX_LENGTH, clientIpKey } from '../domain/fraud/client-ip.ts';
import { CHANNELS } from '../domain/gateways/gateway-types.ts';
import { phoneNumber, resourceId } from './common.ts';
import { isLanguageTag, LOCALE_MAX_LENGTH } from '../domain/messages/locale.ts';

/** The end user's address as the client app saw it; canonicalised (one spelling, IPv6 per /64). */
const clientIp = z
  .string()
  .max(CLIENT_IP_MAX_LENGTH)
  .refine((value) => clientIpKey(value) !== null, 'must be an IPv4 or IPv6 address')
  .meta({ description: "The end user's IPv4 or IPv6 address, for the per-address send limit" });

/** The language the message is wanted in: the store's template for it (RFC 4647 lookup), else its default. */
const locale = z
  .string()
  .max(LOCALE_MAX_LENGTH, { abort: true })
  .refine(isLanguageTag, 'must be a language tag such as de, pt-BR or zh-Hant-TW')
  .meta({ description: 'BCP 47 language tag of the message (RFC 4647 lookup in smsAuth.messageTemplates)' });

/** How the code goes: a text message (default) or a call that speaks it (api.md "Voice calls"). */
const channel = z.enum(CHANNELS).meta({
  description:
    'sms (default) or voice: a phone call that speaks the code; voice needs the store to allow calls',
});

export const enrollBody = z.strictObject({
  phoneNumber: phoneNumber.optional(),
  approvedChallengeId: resourceId.optional(),
  clientIp: clientIp.optional(),
  locale: locale.optional(),
  channel: channel.optional(),
});

export const verifyPhoneBody = z.strictObject({
  phoneNumber,
  clientIp: clientIp.optional(),
  locale: locale.optional(),
  channel: channel.optional(),
});

export const authenticateBody = z.strictObject({
  clientIp: clientIp.optional(),
  locale: locale.optional(),
  channel: channel.optional(),
});

/** Any code-shaped string is judged (and counted) by the challenge; only absurd input is a 400. */
export const verifyBody = z.strictObject({
  code: z
    .string()
    .max(16)
    .regex(/^\d{1,16}$/, 'must be the digits of the code'),
});

export const challengeParams = z.object({ challengeId: resourceId });
