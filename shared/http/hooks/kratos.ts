import * as z from 'zod';
import { bearerMatches } from '../../domain/integrations/hook-secret.ts';
import { defineHookKind } from './hook-kind.ts';

/**
 * Ory Kratos' HTTP courier for SMS (https://www.ory.sh/docs/kratos/self-hosted/sending-sms), with the
 * README's body template `function(ctx) { recipient: ctx.to, body: ctx.body }`.
 */
export const kratos = defineHookKind({
  body: z.object({ recipient: z.string().max(64), body: z.string().min(1).max(1024) }),
  authenticated: ({ headers }, secrets) => bearerMatches(headers.authorization, secrets),
  relayInput: (body) => ({ to: body.recipient, channel: 'sms', text: body.body }),
  success: () => ({}),
});
