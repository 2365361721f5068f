import * as z from 'zod';
import { standardWebhooks } from '../../adapters/webhooks/standard-webhooks.ts';
import { standardWebhookMatches } from '../../domain/integrations/standard-webhook-check.ts';
import { jsonOrUndefined } from '../json-text.ts';
import { defineHookKind } from './hook-kind.ts';

/** Supabase's Send SMS hook (https://supabase.com/docs/guides/auth/auth-hooks/send-sms-hook). */
export const supabase = defineHookKind({
  body: z.object({
    user: z.object({ phone: z.string().max(64) }),
    sms: z.object({ otp: z.string().min(1).max(32) }),
  }),
  authenticated: ({ headers, rawBody }, secrets, now) =>
    standardWebhookMatches(
      {
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
      },
      rawBody,
      secrets,
      now,
      standardWebhooks,
    ),
  // Supabase sends only the code: the store's template carries it.
  relayInput: (body, { headers }) => ({
    to: body.user.phone,
    channel: 'sms',
    code: body.sms.otp,
    eventId: headers['webhook-id'],
  }),
  success: () => ({}),
  // Supabase retries 429 and 503, which would send the code again: every failure is a 500, and its
  // `error` object is what Supabase shows the user.
  failure: (problem) => {
    const details = (jsonOrUndefined(problem.body as string) ?? {}) as Record<string, unknown>;
    return {
      ...problem,
      statusCode: 500,
      body: JSON.stringify({
        ...details,
        error: { http_code: problem.statusCode, message: String(details.detail ?? 'The SMS was not sent.') },
      }),
    };
  },
});
