import * as z from 'zod';
import { bearerMatches } from '../../domain/integrations/hook-secret.ts';
import { defineHookKind } from './hook-kind.ts';

/**
 * What the shipped Auth0 Action (integrations/auth0/action.js) posts from the custom-phone-provider
 * trigger's `event.notification`
 * (https://auth0.com/docs/customize/phone-messages/configure-phone-messaging-providers/configure-a-custom-phone-provider).
 */
export const auth0 = defineHookKind({
  body: z.object({
    recipient: z.string().max(64),
    code: z.string().max(32).optional(),
    as_text: z.string().min(1).max(1024),
    message_type: z.string().max(64).optional(),
    delivery_method: z.string().max(16).optional(),
    locale: z.string().max(32).optional(),
  }),
  authenticated: ({ headers }, secrets) => bearerMatches(headers.authorization, secrets),
  relayInput: (body) => ({
    to: body.recipient,
    channel: !body.delivery_method || body.delivery_method === 'text' ? 'sms' : body.delivery_method,
    // A call speaks the store's voice template with Auth0's code; a text goes as Auth0 wrote it.
    ...(body.delivery_method === 'voice' && body.code ? { code: body.code } : { text: body.as_text }),
    ...(body.locale ? { locale: body.locale } : {}),
  }),
  success: () => ({}),
});
