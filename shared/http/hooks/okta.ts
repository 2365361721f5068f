import * as z from 'zod';
import { bearerMatches } from '../../domain/integrations/hook-secret.ts';
import { OKTA_PROVIDER_BUDGET_MS } from '../../domain/sending/deadline.ts';
import { jsonOrUndefined } from '../json-text.ts';
import { defineHookKind } from './hook-kind.ts';

/** api.md: compared case-insensitively; `SMS` is SMS, `Voice call` a call, anything else refused. */
function oktaChannel(deliveryChannel: string): string {
  const named = deliveryChannel.trim().toLowerCase();
  if (named === 'sms') return 'sms';
  return named === 'voice call' ? 'voice' : deliveryChannel;
}

/**
 * Okta's telephony inline hook
 * (https://developer.okta.com/docs/reference/telephony-hook/): the answer is a command; a failure is an
 * `error` so that Okta falls back to its own providers, always within Okta's 3-second timeout.
 */
export const okta = defineHookKind({
  body: z.object({
    eventId: z.string().min(1).max(128),
    data: z.object({
      messageProfile: z.object({
        msgTemplate: z.string().max(1024).optional(),
        phoneNumber: z.string().max(64),
        otpCode: z.string().min(1).max(32),
        deliveryChannel: z.string().max(32),
        locale: z.string().max(32).optional(),
      }),
    }),
  }),
  authenticated: ({ headers }, secrets) => bearerMatches(headers.authorization, secrets),
  relayInput: ({ eventId, data: { messageProfile: profile } }) => ({
    to: profile.phoneNumber,
    channel: oktaChannel(profile.deliveryChannel),
    ...(profile.locale ? { locale: profile.locale } : {}),
    // A call speaks the store's voice template with Okta's code (api.md), never Okta's SMS template.
    ...(profile.msgTemplate?.includes('${code}') && oktaChannel(profile.deliveryChannel) === 'sms'
      ? { text: profile.msgTemplate.replaceAll('${code}', () => profile.otpCode) }
      : { code: profile.otpCode }),
    eventId,
  }),
  budgetMs: OKTA_PROVIDER_BUDGET_MS,
  success: (result) => ({
    commands: [
      {
        type: 'com.okta.telephony.action',
        value: [{ status: 'SUCCESSFUL', provider: 'sms-mfa', transactionId: result.providerMessageId }],
      },
    ],
  }),
  failure: (problem) => {
    const details = (jsonOrUndefined(problem.body as string) ?? {}) as { detail?: unknown };
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ error: { errorSummary: String(details.detail ?? 'The SMS was not sent.') } }),
    };
  },
});
